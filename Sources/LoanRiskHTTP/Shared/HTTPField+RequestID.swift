import HTTPTypes
import LoanRiskCore

extension HTTPField.Name {
    /// The answer's request id: the `request_id` of the audit records its decisions left.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
