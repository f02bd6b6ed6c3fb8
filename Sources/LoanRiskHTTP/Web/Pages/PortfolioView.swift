import LoanRiskCore

/// The batch page's summary of the rows in view (`PortfolioSummary.view(policy:)`): counts and
/// rates of each decision, the defaults to expect, score bands and the histogram; when the view
/// is filtered, the whole file's headline figures beside them.
struct PortfolioView: MustacheValues {
    struct Band: MustacheValues {
        /// `600–619`.
        let range: String
        let count: String
        let share: String
        let badRate: String
        let defaults: String
    }

    /// The whole file's headline figures, shown when the view is filtered.
    struct Whole: MustacheValues {
        let rows: String
        let expectedDefaults: String
        let approvedBadRate: String
    }

    let rows: String
    let rowsNoun: String
    let scored: String
    let invalid: String
    let hasInvalid: Bool
    let expectedDefaults: String
    let expectedRate: String
    let approvedBadRate: String
    let approvedDefaults: String
    /// Counts and rates by final decision: a review case an analyst decided counts as approved
    /// or declined; `review` counts the cases still waiting.
    let approve: String
    let approveRate: String
    let review: String
    let reviewRate: String
    /// Of the review cases, those the cut-offs approve but the policy held (a key input
    /// missing); nil when there are none.
    let held: String?
    let decline: String
    let declineRate: String
    /// `2 after review`; nil when no analyst approved (declined) a case.
    let approvedAfterReview: String?
    let declinedAfterReview: String?
    /// `3 of 15 decided`; nil until an analyst decides a case.
    let reviewDecided: String?
    let bands: [Band]
    let hasBands: Bool
    /// SVG, inserted raw.
    let histogram: String
    var isFiltered = false
    /// Set when filtered.
    var whole: Whole?
    /// The same view without its filters; set when filtered.
    var clearLink: String?
}
