import LoanRiskCore
import LoanRiskStorage

/// Reads the schemas of the OpenAPI document for the docs page: resolves `$ref` into
/// `components.schemas`, words types (`array of object (Reason)`, `integer | string | null`)
/// and constraints, and flattens nested properties into `SchemaView` rows, so the page shows
/// the document itself and cannot drift from it.
struct SchemaReader {
    /// `components.schemas` of the document.
    let components: [String: JSONValue]
    /// `components.securitySchemes`: how an operation's `security` is met.
    let securitySchemes: [String: JSONValue]

    /// Properties nested deeper than this are left to the raw JSON below the table.
    static let maximumDepth = 3

    init(document: JSONValue) {
        components = document["components"]?["schemas"]?.members ?? [:]
        securitySchemes = document["components"]?["securitySchemes"]?.members ?? [:]
    }

    /// The view of `schema`, with the block id `id`.
    func view(_ schema: JSONValue, id: String) -> SchemaView {
        let (name, target) = resolve(schema)
        let alternatives = target["oneOf"]?.elements ?? target["anyOf"]?.elements ?? []
        let variants = alternatives.isEmpty ? [variant(schema, name: name)] : alternatives.map { variant($0, name: resolve($0).name) }
        let full = inlined(schema, seen: [])
        let saysMore = variants.contains { !$0.rows.isEmpty } || (full.members?.keys.contains { $0 != "type" } ?? true)
        return SchemaView(id: id, variants: variants, isChoice: !alternatives.isEmpty, raw: full.pretty, showsRaw: saysMore)
    }

    /// A parameter of an operation as a row: name, where it goes, its schema's type and bounds.
    func parameter(_ parameter: JSONValue) -> SchemaView.Row {
        let schema = parameter["schema"] ?? .object([:])
        return SchemaView.Row(
            name: parameter["name"]?.string ?? "", depth: 0, location: parameter["in"]?.string ?? "", type: type(schema),
            required: parameter["required"]?.bool ?? false, about: InlineText(parameter["description"]?.string ?? ""),
            values: values(schema), notes: notes(schema))
    }

    /// The component a `$ref` names (its last path segment) and the schema it stands for;
    /// a schema that is no reference is its own target.
    func resolve(_ schema: JSONValue) -> (name: String?, target: JSONValue) {
        guard let reference = schema["$ref"]?.string else { return (nil, schema) }
        let name = String(reference.split(separator: "/").last ?? "")
        return (name, components[name] ?? .object([:]))
    }

    /// The type in words.
    func type(_ schema: JSONValue) -> String {
        let (name, target) = resolve(schema)
        if let name { return "\(type(target)) (\(name))" }
        if let alternatives = target["oneOf"]?.elements ?? target["anyOf"]?.elements {
            return "one of " + alternatives.map(type).joined(separator: " | ")
        }
        var types = target["type"]?.strings ?? []
        if types.isEmpty, let allowed = target["enum"]?.elements {
            // An enum without a type: the kinds of its values, in order of first appearance.
            types = allowed.map(Self.kind).reduce(into: []) { kinds, kind in if !kinds.contains(kind) { kinds.append(kind) } }
        }
        let words = types.map { kind in kind == "array" ? "array of " + type(target["items"] ?? .object([:])) : kind }
        let media = target["contentMediaType"]?.string.map { " (\($0))" } ?? ""
        return (words.isEmpty ? "any" : words.joined(separator: " | ")) + media
    }

    /// The JSON kind of a value, as a schema `type` names it.
    private static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The allowed values, each as JSON.
    func values(_ schema: JSONValue) -> [String] {
        (resolve(schema).target["enum"]?.elements ?? []).map(\.compact)
    }

    /// The keywords a reader needs besides type and values, in the document's own words.
    func notes(_ schema: JSONValue) -> String {
        let target = resolve(schema).target
        let keywords = ["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minItems", "maxItems", "pattern", "default"]
        var notes = keywords.compactMap { key in target[key].map { "\(key) \($0.string ?? $0.compact)" } }
        if let example = target["examples"]?.elements?.first { notes.append("example \(example.compact)") }
        return notes.joined(separator: " · ")
    }

    private func variant(_ schema: JSONValue, name: String?) -> SchemaView.Variant {
        let target = resolve(schema).target
        var rows: [SchemaView.Row] = []
        addRows(of: schema, prefix: "", depth: 0, seen: Set(name.map { [$0] } ?? []), to: &rows)
        return SchemaView.Variant(heading: type(schema), about: InlineText(target["description"]?.string ?? ""), rows: rows)
    }

    /// Appends a row for each property of `schema` (an object, or an array of objects), then
    /// those of its nested objects, below their parent. `seen` stops a component from
    /// containing itself.
    private func addRows(of schema: JSONValue, prefix: String, depth: Int, seen: Set<String>, to rows: inout [SchemaView.Row]) {
        guard depth <= Self.maximumDepth else { return }
        let target = resolve(schema).target
        if target["type"]?.strings.contains("array") == true, let items = target["items"] {
            let (name, _) = resolve(items)
            guard name.map({ !seen.contains($0) }) ?? true else { return }
            // `reasons.` becomes `reasons[].`; an array at the top, `[].`.
            let itemPrefix = (prefix.hasSuffix(".") ? String(prefix.dropLast()) : prefix) + "[]."
            addRows(of: items, prefix: itemPrefix, depth: depth, seen: seen.union(name.map { [$0] } ?? []), to: &rows)
            return
        }
        let required = Set(target["required"]?.strings ?? [])
        let properties = target["properties"]?.members ?? [:]
        for key in properties.keys.sorted() {
            guard let property = properties[key] else { continue }
            let (name, resolved) = resolve(property)
            let about = property["description"]?.string ?? resolved["description"]?.string ?? ""
            rows.append(SchemaView.Row(
                name: prefix + key, depth: depth, location: "", type: type(property), required: required.contains(key),
                about: InlineText(about), values: values(property), notes: notes(property)))
            guard name.map({ !seen.contains($0) }) ?? true else { continue }
            addRows(of: property, prefix: prefix + key + ".", depth: depth + 1, seen: seen.union(name.map { [$0] } ?? []), to: &rows)
        }
        if let other = target["additionalProperties"], other.members != nil {
            rows.append(SchemaView.Row(
                name: prefix + "*", depth: depth, location: "", type: type(other), required: false,
                about: InlineText("Any other key."), values: values(other), notes: notes(other)))
        }
    }

    /// `schema` with each `$ref` replaced by the component it names, except inside itself.
    private func inlined(_ schema: JSONValue, seen: Set<String>) -> JSONValue {
        switch schema {
        case .object(let members):
            let (name, target) = resolve(schema)
            guard let name else { return .object(members.mapValues { inlined($0, seen: seen) }) }
            return seen.contains(name) ? schema : inlined(target, seen: seen.union([name]))
        case .array(let elements):
            return .array(elements.map { inlined($0, seen: seen) })
        default:
            return schema
        }
    }
}
