/// The result for one applicant: a probability and decision, or the reasons it could not be scored.
public struct RowOutcome: Sendable, Equatable {
    /// Probability of default; nil when the row is invalid.
    public var probability: Double?
    public var decision: Decision?
    /// Scorecard points (higher is safer); nil when the row is invalid.
    public var score: Int?
    /// Every problem found in the row, errors and warnings.
    public var issues: [FieldIssue]
    /// Contributions and reasons, when they were asked for and the row was scored.
    public var explanation: Explanation?

    public init(probability: Double?, decision: Decision?, score: Int?, issues: [FieldIssue], explanation: Explanation? = nil) {
        self.probability = probability
        self.decision = decision
        self.score = score
        self.issues = issues
        self.explanation = explanation
    }

    public var isValid: Bool { probability != nil }

    /// `ok`, `warning: …` or `error: …`, with every message of that severity (each a sentence).
    public var status: String {
        let errors = issues.filter { $0.severity == .error }
        if !errors.isEmpty { return "error: " + errors.map(\.message).joined(separator: " ") }
        if !issues.isEmpty { return "warning: " + issues.map(\.message).joined(separator: " ") }
        return "ok"
    }
}
