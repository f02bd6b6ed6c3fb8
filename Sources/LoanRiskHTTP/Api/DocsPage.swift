import LoanRiskCore

/// The content of `/docs`, read from the OpenAPI document alone: every operation in reading
/// order, each thing said once (a description or a schema that an earlier operation has is
/// linked to, not repeated). A model's inputs are its predict operation's request schema.
struct DocsPage {
    let operations: [OperationView]

    /// - Parameters:
    ///   - document: the OpenAPI document `/openapi.json` serves.
    ///   - base: this server's URL, for the curl lines.
    init(document: OpenAPI.Document, base: String, values: ExampleValues) throws {
        let reader = SchemaReader(document: document)
        var said = OperationView.SaidBefore()
        var operations: [OperationView] = []
        for path in document.paths.keys.sorted(by: Self.order) {
            for (method, operation) in document.paths[path]?.operations ?? [] {
                operations.append(try OperationView(method: method, path: path, operation: operation, reader: reader, values: values, base: base, said: &said))
            }
        }
        self.operations = operations
    }

    /// The default model's predict first, then the rest of the API, then the Open Inference
    /// Protocol, then the admin surface; within each, by path.
    static func order(_ a: String, _ b: String) -> Bool {
        func rank(_ path: String) -> Int { path == "/api/v1/predict" ? 0 : path.hasPrefix("/v2") ? 2 : path.hasPrefix("/admin") ? 3 : 1 }
        return rank(a) == rank(b) ? a < b : rank(a) < rank(b)
    }
}
