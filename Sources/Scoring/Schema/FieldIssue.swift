import Foundation

/// A problem with one value of one row: an error makes the row invalid (it is not scored),
/// a warning is reported beside a score that was still computed.
public struct FieldIssue: Sendable, Equatable, Decodable {
    public enum Severity: String, Sendable, Codable { case error, warning }

    /// What kind of warning, where something reads it: values outside the training range and
    /// categories training never saw (a row's status groups them); a key input without a usable
    /// value, and an approval held because the whole file drifted from training (`DriftHold`),
    /// both of which hold an approval for review. nil for every other issue.
    public enum Kind: String, Sendable, Codable {
        case outOfRange = "out_of_range", unseenCategory = "unseen_category"
        case missingKeyInput = "missing_key_input"
        case heldForDrift = "held_for_drift"

        /// Whether an issue of this kind stops an automatic approval: the applicant goes to review.
        public var holdsApproval: Bool {
            switch self {
            case .missingKeyInput, .heldForDrift: return true
            case .outOfRange, .unseenCategory: return false
            }
        }
    }

    /// What the sentence is made from. The warnings a drifted file raises on nearly every
    /// cell keep only their facts and are worded when read: a 50,000-row file whose units
    /// changed would otherwise build (and then mostly group away) hundreds of thousands of
    /// sentences.
    enum Detail: Sendable, Equatable {
        case sentence(String)
        case belowTraining(Double)
        case aboveTraining(Double)
        case unknownLabel(known: [String])
        case unknownCode(known: [String])
    }

    public let severity: Severity
    /// The column (feature) name.
    public let column: String
    /// The value as given.
    public let value: String
    let detail: Detail
    public var kind: Kind?

    public init(severity: Severity, column: String, value: String, message: String, kind: Kind? = nil) {
        self.init(severity: severity, column: column, value: value, detail: .sentence(message), kind: kind)
    }

    init(severity: Severity, column: String, value: String, detail: Detail, kind: Kind?) {
        self.severity = severity
        self.column = column
        self.value = value
        self.detail = detail
        self.kind = kind
    }

    /// A complete sentence naming column, value and what was expected; the row is added by the caller.
    public var message: String {
        switch detail {
        case .sentence(let sentence): return sentence
        case .belowTraining(let low): return "\(value) is below the smallest \(column) seen in training (\(Self.bound(low)))."
        case .aboveTraining(let high): return "\(value) is above the largest \(column) seen in training (\(Self.bound(high)))."
        case .unknownLabel(let known): return "'\(value)' is not a known \(column) (known: \(Self.list(known))); it was scored as missing."
        case .unknownCode(let known): return "\(value) is not a \(column) code seen in training (\(Self.list(known)))."
        }
    }

    /// Equal when they say the same: an issue read back as its sentence equals the one it was
    /// worded from.
    public static func == (lhs: FieldIssue, rhs: FieldIssue) -> Bool {
        guard lhs.severity == rhs.severity, lhs.column == rhs.column, lhs.value == rhs.value, lhs.kind == rhs.kind else { return false }
        if lhs.detail == rhs.detail { return true }
        switch (lhs.detail, rhs.detail) {
        case (.sentence, _), (_, .sentence): return lhs.message == rhs.message
        default: return false
        }
    }

    /// Stored compactly (`FieldIssue+JSON.swift` writes it): a value outside the training
    /// range keeps its bound (`below` or `above`) instead of the sentence, which `message`
    /// words again when read.
    private enum CodingKeys: String, CodingKey { case severity, column, value, message, kind, below, above }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let detail: Detail
        if let low = try container.decodeIfPresent(Double.self, forKey: .below) {
            detail = .belowTraining(low)
        } else if let high = try container.decodeIfPresent(Double.self, forKey: .above) {
            detail = .aboveTraining(high)
        } else {
            detail = .sentence(try container.decode(String.self, forKey: .message))
        }
        self.init(
            severity: try container.decode(Severity.self, forKey: .severity),
            column: try container.decode(String.self, forKey: .column),
            value: try container.decode(String.self, forKey: .value),
            detail: detail,
            kind: try container.decodeIfPresent(Kind.self, forKey: .kind))
    }

    /// Known categories for a message: the first twelve, and how many there are in all.
    static func list(_ categories: [String]) -> String {
        let shown = categories.prefix(12).joined(separator: ", ")
        return categories.count > 12 ? "\(shown), … \(categories.count) in all" : shown
    }

    /// A training bound for a message: whole numbers as such, others to six significant digits.
    static func bound(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }
}
