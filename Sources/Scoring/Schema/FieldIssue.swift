/// A problem with one value of one row: an error makes the row invalid (it is not scored),
/// a warning is reported beside a score that was still computed.
public struct FieldIssue: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable { case error, warning }

    /// What kind of warning, where a row's status groups them: values outside the training
    /// range, and categories training never saw. nil for every other issue.
    public enum Kind: String, Sendable, Codable { case outOfRange = "out_of_range", unseenCategory = "unseen_category" }

    public let severity: Severity
    /// The column (feature) name.
    public let column: String
    /// The value as given.
    public let value: String
    /// A complete sentence naming column, value and what was expected; the row is added by the caller.
    public let message: String
    public var kind: Kind?

    public init(severity: Severity, column: String, value: String, message: String, kind: Kind? = nil) {
        self.severity = severity
        self.column = column
        self.value = value
        self.message = message
        self.kind = kind
    }
}
