import LoanRiskCore

/// Building an `OperationView` from the OpenAPI document.
extension OperationView {
    /// What the page has already said, so the next operation links to it instead of repeating it:
    /// the first operation with each description, and the first block of each schema.
    struct SaidBefore {
        var descriptions: [String: Link] = [:]
        var schemas: [String: Link] = [:]
    }

    /// - Parameters:
    ///   - method: the operation's key in its path item (`get`).
    ///   - base: this server's URL, for the curl line.
    ///   - values: what the form fills path parameters with.
    init(
        method: String, path: String, operation: OpenAPI.Operation, reader: SchemaReader, values: ExampleValues, base: String, said: inout SaidBefore
    ) throws {
        let verb = method.uppercased()
        let anchor = Self.anchor(method: method, path: path)
        self.method = verb
        self.path = path
        self.anchor = anchor
        summary = InlineText(operation.summary)
        let title = "\(verb) \(path)"
        let description = InlineText(operation.description ?? "")
        if !description.segments.isEmpty, let first = said.descriptions[description.source] {
            about = InlineText("")
            aboutSameAs = [first]
        } else {
            about = description
            aboutSameAs = []
            if !description.segments.isEmpty { said.descriptions[description.source] = Link(anchor: anchor, title: title) }
        }
        let parameterList = operation.parameters ?? []
        parameters = try parameterList.map(reader.parameter)
        // `security` lists alternatives, each naming schemes; every scheme here is the admin bearer token.
        let schemes = (operation.security ?? []).flatMap { $0.keys.sorted() }
        let needsToken = !schemes.isEmpty
        self.needsToken = needsToken
        tokenNote = InlineText(schemes.compactMap { reader.securitySchemes[$0]?.description }.joined(separator: " "))

        let requestContent = operation.requestBody?.content ?? [:]
        requests = try requestContent.keys.sorted().map { media in
            try Self.body(code: "", about: "", media: media, content: requestContent[media], id: "\(anchor)-request", title: "\(title) request", reader: reader, said: &said)
        }
        var answers: [Body] = []
        for code in operation.responses.keys.sorted() {
            let about = operation.responses[code]?.description ?? ""
            let content = operation.responses[code]?.content ?? [:]
            if content.isEmpty {
                answers.append(Body(code: code, about: InlineText(about), mediaType: "", schema: [], schemaSameAs: []))
            }
            for media in content.keys.sorted() {
                answers.append(try Self.body(code: code, about: about, media: media, content: content[media], id: "\(anchor)-\(code)", title: "\(title) \(code)",
                                             reader: reader, said: &said))
            }
        }
        self.answers = answers

        let example = try requestContent["application/json"]?.example.map { try OpenAPI.json($0) }
        let files = Self.files(requestContent["multipart/form-data"]?.schema, reader: reader, operation: anchor)
        let fields = try parameterList.map { parameter in
            try TryItForm.Field(parameter: parameter, operation: anchor, value: parameter.location == .path ? values.value(for: parameter) : "")
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
        code: String, about: String, media: String, content: OpenAPI.MediaType?, id: String, title: String, reader: SchemaReader, said: inout SaidBefore
    ) throws -> Body {
        guard let schema = content?.schema else {
            return Body(code: code, about: InlineText(about), mediaType: media, schema: [], schemaSameAs: [])
        }
        let slug = media.split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
        let view = try reader.view(schema, id: "\(id)-\(slug)")
        if view.hasRows, let first = said.schemas[view.raw] {
            return Body(code: code, about: InlineText(about), mediaType: media, schema: [], schemaSameAs: [first])
        }
        if view.hasRows { said.schemas[view.raw] = Link(anchor: view.id, title: "\(title) (\(media))") }
        return Body(code: code, about: InlineText(about), mediaType: media, schema: [view], schemaSameAs: [])
    }

    /// The file parts of a multipart body schema, required ones first as the document lists them.
    private static func files(_ schema: OpenAPI.Schema?, reader: SchemaReader, operation: String) -> [TryItForm.FileField] {
        guard let schema else { return [] }
        let target = reader.resolve(schema).target
        let required = target.required ?? []
        let properties = target.properties ?? [:]
        let names = required + properties.keys.sorted().filter { !required.contains($0) }
        return names.compactMap { name in
            properties[name].map { part in
                TryItForm.FileField(id: "\(operation)-file-\(name)", name: name, accept: part.contentMediaType ?? "", required: required.contains(name))
            }
        }
    }
}
