import LoanRiskCore

/// Reads the schemas of the OpenAPI document for the docs page: resolves `$ref` into
/// `components.schemas`, words types (`array of object (Reason)`, `integer | string | null`)
/// and constraints, and flattens nested properties into `SchemaView` rows, so the page shows
/// the document itself and cannot drift from it.
struct SchemaReader {
    typealias Schema = OpenAPI.Schema

    /// `components.schemas` of the document.
    let components: [String: Schema]
    /// `components.securitySchemes`: how an operation's `security` is met.
    let securitySchemes: [String: OpenAPI.SecurityScheme]

    /// Properties nested deeper than this are left to the raw JSON below the table.
    static let maximumDepth = 3

    init(document: OpenAPI.Document) {
        components = document.components.schemas
        securitySchemes = document.components.securitySchemes
    }

    /// The view of `schema`, with the block id `id`.
    func view(_ schema: Schema, id: String) throws -> SchemaView {
        let (name, target) = resolve(schema)
        let alternatives = target.oneOf ?? []
        let variants = try alternatives.isEmpty ? [variant(schema, name: name)] : alternatives.map { try variant($0, name: resolve($0).name) }
        let full = inlined(schema, seen: [])
        let saysMore = variants.contains { !$0.rows.isEmpty } || full != Schema(type: full.type)
        return SchemaView(id: id, variants: variants, isChoice: !alternatives.isEmpty, raw: try OpenAPI.json(full).pretty, showsRaw: saysMore)
    }

    /// A parameter of an operation as a row: name, where it goes, its schema's type and bounds.
    func parameter(_ parameter: OpenAPI.Parameter) throws -> SchemaView.Row {
        SchemaView.Row(
            name: parameter.name, depth: 0, location: parameter.location.rawValue, type: type(parameter.schema), required: parameter.required,
            about: InlineText(parameter.description ?? ""), values: try values(parameter.schema), notes: try notes(parameter.schema))
    }

    /// The component a `$ref` names and the schema it stands for; a schema that is no
    /// reference is its own target.
    func resolve(_ schema: Schema) -> (name: String?, target: Schema) {
        guard let name = schema.referencedName else { return (nil, schema) }
        return (name, components[name] ?? Schema())
    }

    /// The type in words.
    func type(_ schema: Schema) -> String {
        let (name, target) = resolve(schema)
        if let name { return "\(type(target)) (\(name))" }
        if let alternatives = target.oneOf {
            return "one of " + alternatives.map(type).joined(separator: " | ")
        }
        var kinds = target.type.map(\.rawValue)
        if kinds.isEmpty, let allowed = target.allowedValues {
            // An enum without a type: the kinds of its values, in order of first appearance.
            kinds = allowed.map(Self.kind).reduce(into: []) { kinds, kind in if !kinds.contains(kind) { kinds.append(kind) } }
        }
        let words = kinds.map { kind in kind == "array" ? "array of " + type(target.items ?? Schema()) : kind }
        let media = target.contentMediaType.map { " (\($0))" } ?? ""
        return (words.isEmpty ? "any" : words.joined(separator: " | ")) + media
    }

    /// The JSON kind of a value, as a schema `type` names it.
    private static func kind(_ value: OpenAPI.Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The allowed values, each as JSON.
    func values(_ schema: Schema) throws -> [String] {
        try (resolve(schema).target.allowedValues ?? []).map { try OpenAPI.json($0).compact }
    }

    /// The keywords a reader needs besides type and values, in the document's own words.
    func notes(_ schema: Schema) throws -> String {
        let target = resolve(schema).target
        let keywords: [(String, OpenAPI.Value?)] = [
            ("minimum", target.minimum.map(OpenAPI.Value.number)), ("exclusiveMinimum", target.exclusiveMinimum.map(OpenAPI.Value.number)),
            ("maximum", target.maximum.map(OpenAPI.Value.number)), ("maxItems", target.maxItems.map(OpenAPI.Value.integer)),
            ("pattern", target.pattern.map(OpenAPI.Value.string)), ("default", target.defaultValue),
        ]
        var notes = try keywords.compactMap { key, value in try value.map { "\(key) \(try $0.string ?? OpenAPI.json($0).compact)" } }
        if let example = target.examples?.first { notes.append("example \(try OpenAPI.json(example).compact)") }
        return notes.joined(separator: " · ")
    }

    private func variant(_ schema: Schema, name: String?) throws -> SchemaView.Variant {
        let target = resolve(schema).target
        var rows: [SchemaView.Row] = []
        try addRows(of: schema, prefix: "", depth: 0, seen: Set(name.map { [$0] } ?? []), to: &rows)
        return SchemaView.Variant(heading: type(schema), about: InlineText(target.description ?? ""), rows: rows)
    }

    /// Appends a row for each property of `schema` (an object, or an array of objects), then
    /// those of its nested objects, below their parent. `seen` stops a component from
    /// containing itself.
    private func addRows(of schema: Schema, prefix: String, depth: Int, seen: Set<String>, to rows: inout [SchemaView.Row]) throws {
        guard depth <= Self.maximumDepth else { return }
        let target = resolve(schema).target
        if target.type.contains(.array), let items = target.items {
            let name = items.referencedName
            guard name.map({ !seen.contains($0) }) ?? true else { return }
            // `reasons.` becomes `reasons[].`; an array at the top, `[].`.
            let itemPrefix = (prefix.hasSuffix(".") ? String(prefix.dropLast()) : prefix) + "[]."
            try addRows(of: items, prefix: itemPrefix, depth: depth, seen: seen.union(name.map { [$0] } ?? []), to: &rows)
            return
        }
        let required = Set(target.required ?? [])
        let properties = target.properties ?? [:]
        for key in properties.keys.sorted() {
            guard let property = properties[key] else { continue }
            let (name, resolved) = resolve(property)
            rows.append(SchemaView.Row(
                name: prefix + key, depth: depth, location: "", type: type(property), required: required.contains(key),
                about: InlineText(property.description ?? resolved.description ?? ""), values: try values(property), notes: try notes(property)))
            guard name.map({ !seen.contains($0) }) ?? true else { continue }
            try addRows(of: property, prefix: prefix + key + ".", depth: depth + 1, seen: seen.union(name.map { [$0] } ?? []), to: &rows)
        }
        if case .schema(let other) = target.additionalProperties {
            rows.append(SchemaView.Row(
                name: prefix + "*", depth: depth, location: "", type: type(other), required: false,
                about: InlineText("Any other key."), values: try values(other), notes: try notes(other)))
        }
    }

    /// `schema` with each `$ref` replaced by the component it names, except inside itself.
    func inlined(_ schema: Schema, seen: Set<String>) -> Schema {
        if let name = schema.referencedName {
            return seen.contains(name) ? schema : inlined(components[name] ?? Schema(), seen: seen.union([name]))
        }
        var schema = schema
        schema.properties = schema.properties?.mapValues { inlined($0, seen: seen) }
        schema.items = schema.items.map { inlined($0, seen: seen) }
        schema.oneOf = schema.oneOf?.map { inlined($0, seen: seen) }
        if case .schema(let other) = schema.additionalProperties { schema.additionalProperties = .schema(inlined(other, seen: seen)) }
        return schema
    }
}
