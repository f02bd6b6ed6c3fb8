import LoanRiskCore

/// `docs.mustache`: the API reference, every operation of the OpenAPI document (`DocsPage`).
struct ReferencePage: PageView {
    static let template = "docs"
    let base: PageBase
    let operations: [OperationView]
}
