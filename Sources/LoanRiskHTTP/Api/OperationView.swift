import LoanRiskCore

/// One operation of the OpenAPI document as `/docs` shows it: its summary and description,
/// parameters, request body and answers with their schemas, a curl line and a try-it form.
/// Built by `OperationView.init(method:path:operation:…)` from the document alone.
struct OperationView {
    /// A link to something said earlier on the page, instead of saying it again.
    struct Link {
        let anchor: String
        let title: String
    }

    /// The request body, or one answer, in one media type.
    struct Body {
        /// The answer's status code; empty for the request body.
        let code: String
        let about: InlineText
        /// Empty when the answer has no body (204).
        let mediaType: String
        /// The schema, shown here (at most one)…
        let schema: [SchemaView]
        /// …or shown earlier on the page, linked (at most one).
        let schemaSameAs: [Link]
    }

    let method: String
    let path: String
    let anchor: String
    let summary: InlineText
    /// The description, unless an earlier operation has the same one (then `aboutSameAs`).
    let about: InlineText
    let aboutSameAs: [Link]
    let parameters: [SchemaView.Row]
    let requests: [Body]
    let answers: [Body]
    let needsToken: Bool
    /// What the document says of the token (its security schemes' descriptions).
    let tokenNote: InlineText
    let curl: String
    let form: TryItForm
}
