import LoanRiskCore

/// `review.mustache`: the cases the models referred that no analyst has decided, oldest first,
/// with the counts per model, and the decisions made lately.
struct ReviewQueuePage: PageView {
    static let template = "review"
    let base: PageBase
    /// `23 cases wait for an analyst's decision` (for the chosen model when filtered).
    let summary: String
    /// The model filter's choices, each with its count.
    let models: [Choice]
    let isFiltered: Bool
    /// The oldest waiting case, opened from this queue; nil when none waits.
    let first: String?
    let cases: [Case]
    let hasCases: Bool
    /// `cases 1–50 of 230`; empty when none.
    let range: String
    let previous: String?
    let next: String?
    let decided: [Decided]
    let hasDecided: Bool

    struct Choice: MustacheValues {
        /// A model name; empty for every model.
        let value: String
        /// `lending-club (20)`.
        let label: String
        let selected: Bool
    }

    /// A case waiting for a decision.
    struct Case: MustacheValues {
        let referred: String
        /// The file's applicant id, or `row 12` when the file has none.
        let applicant: String
        /// The case's page, opened from this queue (deciding there opens the next case).
        let link: String
        let model: String
        let probability: String
        /// Why the policy referred it: between the cut-offs, or what held it.
        let reason: String
        let fileName: String
    }

    /// A decision made lately.
    struct Decided: MustacheValues {
        let at: String
        let applicant: String
        /// The case's page while its batch is stored; nil once deleted.
        let link: String?
        let model: String
        let probability: String
        let modelDecision: String
        let decision: String
        /// Nil when the analyst left none.
        let note: String?
    }
}
