import LoanRiskCore
import LoanRiskStorage

/// Building an `OperationView` from the OpenAPI document.
extension OperationView {
    /// What the page has already said, so the next operation links to it instead of repeating it:
    /// the first operation with each description, and the first block of each schema.
    struct SaidBefore {
        var descriptions: [String: Link] = [:]
        var schemas: [String: Link] = [:]
    }

    /// - Parameters:
    ///   - operation: the operation object, `paths[path][method]` of the document.
    ///   - base: this server's URL, for the curl line.
    ///   - values: what the form fills path parameters with.
    init(
        method: String, path: String, operation: JSONValue, reader: SchemaReader, values: ExampleValues, base: String, said: inout SaidBefore
    ) {
        let verb = method.uppercased()
        let anchor = Self.anchor(method: method, path: path)
        self.method = verb
        self.path = path
        self.anchor = anchor
        summary = InlineText(operation["summary"]?.string ?? "")
        let title = "\(verb) \(path)"
        let description = InlineText(operation["description"]?.string ?? "")
        if !description.segments.isEmpty, let first = said.descriptions[description.source] {
            about = InlineText("")
            aboutSameAs = [first]
        } else {
            about = description
            aboutSameAs = []
            if !description.segments.isEmpty { said.descriptions[description.source] = Link(anchor: anchor, title: title) }
        }
        let parameterList = operation["parameters"]?.elements ?? []
        parameters = parameterList.map(reader.parameter)
        // `security` lists alternatives, each naming schemes; every scheme here is the admin bearer token.
        let schemes = (operation["security"]?.elements ?? []).flatMap { $0.members?.keys.sorted() ?? [] }
        let needsToken = !schemes.isEmpty
        self.needsToken = needsToken
        tokenNote = InlineText(schemes.compactMap { reader.securitySchemes[$0]?["description"]?.string }.joined(separator: " "))

        let requestContent = operation["requestBody"]?["content"]?.members ?? [:]
        requests = requestContent.keys.sorted().map { media in
            Self.body(code: "", about: "", media: media, content: requestContent[media], id: "\(anchor)-request", title: "\(title) request", reader: reader, said: &said)
        }
        var answers: [Body] = []
        let responses = operation["responses"]?.members ?? [:]
        for code in responses.keys.sorted() {
            let about = responses[code]?["description"]?.string ?? ""
            let content = responses[code]?["content"]?.members ?? [:]
            if content.isEmpty {
                answers.append(Body(code: code, about: InlineText(about), mediaType: "", schema: [], schemaSameAs: []))
            }
            for media in content.keys.sorted() {
                answers.append(Self.body(code: code, about: about, media: media, content: content[media], id: "\(anchor)-\(code)", title: "\(title) \(code)",
                                         reader: reader, said: &said))
            }
        }
        self.answers = answers

        let example = requestContent["application/json"]?["example"]
        let files = Self.files(requestContent["multipart/form-data"]?["schema"], reader: reader, operation: anchor)
        let fields = parameterList.map { parameter in
            TryItForm.Field(parameter: parameter, operation: anchor, value: parameter["in"]?.string == "path" ? values.value(for: parameter) : "")
        }
        let body = example?.pretty ?? ""
        form = TryItForm(id: anchor, method: verb, path: path, fields: fields, needsToken: needsToken,
                         mediaType: requestContent["application/json"] == nil ? "" : "application/json", body: body, bodyRows: TryItForm.rows(body), files: files)
        let concrete = fields.filter { $0.location == "path" }.reduce(path) { path, field in
            path.replacingOccurrences(of: "{\(field.name)}", with: field.value)
        }
        curl = CurlLine.make(method: verb, url: base + concrete, needsToken: needsToken, json: example, files: files)
    }

    /// `post-api-v1-models-name-predict` for POST /api/v1/models/{name}/predict.
    static func anchor(method: String, path: String) -> String {
        (method + path).lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
    }

    /// One media type of a request or an answer; a schema with properties shown before is linked.
    private static func body(
        code: String, about: String, media: String, content: JSONValue?, id: String, title: String, reader: SchemaReader, said: inout SaidBefore
    ) -> Body {
        guard let schema = content?["schema"] else {
            return Body(code: code, about: InlineText(about), mediaType: media, schema: [], schemaSameAs: [])
        }
        let slug = media.split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
        let view = reader.view(schema, id: "\(id)-\(slug)")
        if view.hasRows, let first = said.schemas[view.raw] {
            return Body(code: code, about: InlineText(about), mediaType: media, schema: [], schemaSameAs: [first])
        }
        if view.hasRows { said.schemas[view.raw] = Link(anchor: view.id, title: "\(title) (\(media))") }
        return Body(code: code, about: InlineText(about), mediaType: media, schema: [view], schemaSameAs: [])
    }

    /// The file parts of a multipart body schema, required ones first as the document lists them.
    private static func files(_ schema: JSONValue?, reader: SchemaReader, operation: String) -> [TryItForm.FileField] {
        guard let schema else { return [] }
        let target = reader.resolve(schema).target
        let required = target["required"]?.strings ?? []
        let properties = target["properties"]?.members ?? [:]
        let names = required + properties.keys.sorted().filter { !required.contains($0) }
        return names.compactMap { name in
            properties[name].map { part in
                TryItForm.FileField(id: "\(operation)-file-\(name)", name: name, accept: part["contentMediaType"]?.string ?? "", required: required.contains(name))
            }
        }
    }
}
