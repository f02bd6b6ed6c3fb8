import Foundation

/// What `loanrisk bundle init` is told besides the model and the sample.
public struct BundleDraftOptions: Sendable {
    /// The sample column holding each applicant's outcome, and the label that means default.
    public struct Target: Sendable, Equatable {
        public var column: String
        public var positiveLabel: String

        public init(column: String, positiveLabel: String) {
            self.column = column
            self.positiveLabel = positiveLabel
        }
    }

    /// The bundle's name (its folder and URL name).
    public var name: String
    /// A person's title for the model; default: the name.
    public var title: String?
    /// Default: the first 12 hex digits of the model file's sha256, as a bare model is versioned
    /// (the same file is always the same version).
    public var version: String?
    public var description: String?
    /// The sample column that identifies applicants; nil: detected (`BundleDraft.detectIDColumn`).
    public var idColumn: String?
    /// When the sample carries outcomes: then the bundle records the model's ROC-AUC and
    /// other measures on the sample, and the policy's bad rates.
    public var target: Target?
    /// How many sample rows, from the first, become golden rows.
    public var goldenRows: Int
    /// The default policy approves this share of the sample, lowest probability first…
    public var approveShare: Double
    /// …reviews the next this share, and declines the rest.
    public var reviewShare: Double
    /// When the bundle is written (`created`).
    public var created: Date

    public init(
        name: String, title: String? = nil, version: String? = nil, description: String? = nil, idColumn: String? = nil,
        target: Target? = nil, goldenRows: Int = 200, approveShare: Double = 0.7, reviewShare: Double = 0.1, created: Date = Date()
    ) {
        self.name = name
        self.title = title
        self.version = version
        self.description = description
        self.idColumn = idColumn
        self.target = target
        self.goldenRows = goldenRows
        self.approveShare = approveShare
        self.reviewShare = reviewShare
        self.created = created
    }
}
