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
        let approveRate: String
        let declineRate: String
        /// The drift band, or "—" for a model without a reference.
        let drift: String
        let driftMajor: Bool

        init(_ s: BatchSummary) {
            id = s.id
            fileName = s.fileName
            model = "\(s.modelName) \(s.modelVersion)"
            created = Formatting.timestamp(s.createdAt)
            rows = Formatting.count(s.rowCount)
            invalid = Formatting.count(s.invalidCount)
            approveRate = Formatting.rate(s.approveCount, of: s.rowCount)
            declineRate = Formatting.rate(s.declineCount, of: s.rowCount)
            drift = s.drift?.band.rawValue ?? "—"
            driftMajor = s.drift?.band == .major
        }
    }
}
