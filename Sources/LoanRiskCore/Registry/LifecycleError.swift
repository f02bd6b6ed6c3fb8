import LoanRiskStorage
import Scoring

/// Why a registry operation was refused, as a value: the admin API turns `kind` into a
/// status, the CLI into an exit code, and both show `message` as it is.
public struct LifecycleError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// No such model or version (404).
        case notFound
        /// The registry's state forbids it: immutable version, alias rules, in use (409).
        case conflict
        /// The version fails validation: it does not load, or its golden rows differ (422).
        case invalid
        /// Its inputs differ from the champion's; `force` accepts them (409).
        case inputsChanged
        /// The database failed (500).
        case storage
        /// The database cannot be reached just now (503).
        case unavailable
    }

    public let kind: Kind
    public let message: String
    /// For `inputsChanged`: the differences.
    public var inputChanges: InputChanges?
    /// For a golden-row failure: what differed.
    public var golden: GoldenRows.Report?

    public init(_ kind: Kind, _ message: String, inputChanges: InputChanges? = nil, golden: GoldenRows.Report? = nil) {
        self.kind = kind
        self.message = message
        self.inputChanges = inputChanges
        self.golden = golden
    }

    /// A database failure during `what` ("The version could not be stored"): `.unavailable`
    /// when the database cannot be reached, else `.storage`; either says why in the
    /// database's words.
    package init(storage what: String, _ error: any Error) {
        self.init(error is DatabaseUnavailable ? .unavailable : .storage, "\(what): \(error)")
    }

    public var description: String { message }
}
