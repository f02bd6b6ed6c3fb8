import LoanRiskCore

/// `error.mustache`: what went wrong, for every error a page route answers.
struct ErrorPage: PageView {
    static let template = "error"
    let base: PageBase
    /// The status code, as `404`.
    let status: Int
    /// Its reason phrase, as `Not Found`.
    let reason: String
    let message: String
}
