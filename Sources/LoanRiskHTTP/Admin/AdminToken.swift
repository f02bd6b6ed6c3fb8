import LoanRiskCore

/// One admin bearer token and the label that names its holder in the registry's history and
/// the audit log. Its description never shows the secret.
public struct AdminToken: Sendable, CustomStringConvertible {
    public let label: String
    let secret: [UInt8]

    public init(label: String, secret: String) {
        self.label = label
        self.secret = Array(secret.utf8)
    }

    public var description: String { "AdminToken(\(label))" }
}
