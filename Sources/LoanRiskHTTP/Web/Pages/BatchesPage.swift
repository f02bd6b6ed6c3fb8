import LoanRiskCore

/// `batches.mustache`: the recent batches, newest first.
struct BatchesPage: PageView, MustacheValues {
    static let template = "batches"
    let base: PageBase
    let batches: [Entry]
    /// `RETENTION_DAYS`, which the page tells the analyst.
    let retentionDays: Int

    /// One batch's line.
    struct Entry: MustacheValues {
        let id: String
        let fileName: String
        /// The model's name and version.
        let model: String
        let created: String
        let rows: String
        let invalid: String
        /// Shares of the file by final decision: a review case an analyst decided counts as
        /// approved or declined.
        let approveRate: String
        let declineRate: String
        /// `12 of 15 waiting` while referred cases wait for an analyst, `all 15 decided` after;
        /// `—` when none were referred.
        let review: String
        /// Some cases still wait: the cell links to the batch's review cases.
        let reviewWaiting: Bool
        /// The drift band, or "—" for a model without a reference.
        let drift: String
        let driftMajor: Bool

        init(_ s: BatchSummary, decided: ReviewStore.Decided = .init()) {
            id = s.id
            fileName = s.fileName
            model = "\(s.modelName) \(s.modelVersion)"
            created = Formatting.timestamp(s.createdAt)
            rows = Formatting.count(s.rowCount)
            invalid = Formatting.count(s.invalidCount)
            approveRate = Formatting.rate(s.approveCount + decided.approved, of: s.rowCount)
            declineRate = Formatting.rate(s.declineCount + decided.declined, of: s.rowCount)
            let waiting = max(0, s.reviewCount - decided.total)
            reviewWaiting = waiting > 0
            review = s.reviewCount == 0 ? "—"
                : waiting == 0 ? "all \(Formatting.count(s.reviewCount)) decided"
                : "\(Formatting.count(waiting)) of \(Formatting.count(s.reviewCount)) waiting"
            drift = s.drift?.band.rawValue ?? "—"
            driftMajor = s.drift?.band == .major
        }
    }
}
