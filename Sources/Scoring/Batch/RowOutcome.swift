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
    /// Several values outside the training range, or several unseen categories, make one
    /// short line each naming the columns, not a sentence apiece: on a file whose units
    /// changed that is every row, and the batch's drift report says it once for all
    /// (`issues` keeps every sentence, for the row's own page).
    public var status: String { status(message: \.message, name: \.column) }

    /// `status` for a person reading a page: each sentence in the bundle's words
    /// (`FieldIssue.message(in:)`) and grouped columns by their phrase, each with its name
    /// once; `status` itself, in the results file and the API, keeps the raw names.
    public func status(in schema: FeatureSchema) -> String {
        let specs = Dictionary(schema.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return status(message: { $0.message(in: schema) }, name: { specs[$0.column].map(FieldIssue.subject) ?? $0.column })
    }

    private func status(message: (FieldIssue) -> String, name: (FieldIssue) -> String) -> String {
        let errors = issues.filter { $0.severity == .error }
        if !errors.isEmpty { return "error: " + errors.map(message).joined(separator: " ") }
        guard !issues.isEmpty else { return "ok" }
        var parts: [String] = []
        let outOfRange = issues.filter { $0.kind == .outOfRange }
        let unseen = issues.filter { $0.kind == .unseenCategory }
        var saidOutOfRange = false
        var saidUnseen = false
        for issue in issues {
            switch issue.kind {
            case .outOfRange? where outOfRange.count >= Self.groupFrom:
                if !saidOutOfRange {
                    saidOutOfRange = true
                    parts.append("\(outOfRange.count) values outside the training range: \(Self.names(outOfRange, name)) — see the batch's drift report.")
                }
            case .unseenCategory? where unseen.count >= Self.groupFrom:
                if !saidUnseen {
                    saidUnseen = true
                    parts.append("\(unseen.count) categories never seen in training, scored as missing: \(Self.names(unseen, name)) — see the batch's drift report.")
                }
            default:
                parts.append(message(issue))
            }
        }
        return "warning: " + parts.joined(separator: " ")
    }

    /// From this many warnings of one kind, a row's status groups them.
    static let groupFrom = 3

    private static func names(_ issues: [FieldIssue], _ name: (FieldIssue) -> String) -> String {
        let shown = issues.prefix(8).map(name).joined(separator: ", ")
        return issues.count > 8 ? shown + ", …" : shown
    }
}
