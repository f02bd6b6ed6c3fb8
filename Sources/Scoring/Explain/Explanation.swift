/// What a scored applicant's explanation carries: the full contribution vector and the
/// principal reasons drawn from it.
public struct Explanation: Sendable, Equatable {
    /// One contribution per model feature (model order), in raw log-odds.
    public let contributions: [Double]
    /// The model's expected raw score over the training rows (the base rate, as log-odds).
    public let expectedValue: Double
    /// The features that raised the risk most, largest first, at most the number asked for.
    public let reasons: [Reason]

    public init(contributions: [Double], expectedValue: Double, reasons: [Reason]) {
        self.contributions = contributions
        self.expectedValue = expectedValue
        self.reasons = reasons
    }
}

/// What to explain when scoring.
public struct ExplainOptions: Sendable, Equatable {
    /// How many reasons to give (0: none). Four is the usual number (Regulation B commentary).
    public var reasons: Int
    /// Whether to keep every contribution.
    public var contributions: Bool

    public init(reasons: Int = 0, contributions: Bool = false) {
        self.reasons = reasons
        self.contributions = contributions
    }

    public static let none = ExplainOptions()
    public static let defaultReasonCount = 4
    /// The most reasons the CLI and results files offer. Regulation B's commentary finds more
    /// than four rarely helpful to an applicant; ten leaves room for review work.
    public static let maximumReasonCount = 10

    /// Whether anything is asked for (contributions must then be computed).
    public var isEmpty: Bool { reasons == 0 && !contributions }
}
