import LoanRiskCore

/// `batch_row.mustache`: one applicant of a batch — the result, every warning, the analyst's
/// decision of a review case, and the reasons with every contribution.
struct BatchRowPage: PageView {
    struct Heading: MustacheValues {
        let id: String
        let fileName: String
        let model: String
        let modelVersion: String
    }

    struct Row: MustacheValues {
        let number: Int
        let id: String
        let hasID: Bool
        let idColumn: String
        let probability: String
        let decision: String
        let score: String
        let state: String
        let status: String
        let isOK: Bool
    }

    /// A review case's form, and the decision once made.
    typealias Review = ReviewFormView

    static let template = "batch_row"
    let base: PageBase
    let batch: Heading
    let row: Row
    /// Every warning, one sentence each; nil unless there are several.
    let warnings: [String]?
    let hasWarnings: Bool
    /// Nil unless the model referred the row for review.
    let review: Review?
    let previous: String?
    let next: String?
    /// `3 of 120 in this view`; nil outside a view.
    let position: String?
    let back: String
    let explanation: ExplanationView?
    /// Why there are no reasons; nil when there are.
    let reasonsNote: String?
}
