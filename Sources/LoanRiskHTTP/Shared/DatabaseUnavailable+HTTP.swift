import Hummingbird
import LoanRiskCore
import LoanRiskStorage
import LoanRiskStorage

/// How every HTTP surface answers an outage of the database: 503, a sentence that names no
/// server (the reason stays in the log), and when to try again.
extension DatabaseUnavailable {
    static let status = HTTPResponse.Status.serviceUnavailable
    static let message = "The database cannot be reached just now, so this cannot be answered. Please try again in a moment."
    /// Seconds: the server itself notices the database back within a second of its return.
    static let retryAfter = "5"

    /// `response` with the `Retry-After` header.
    static func retrying(_ response: Response) -> Response {
        var response = response
        response.headers[.retryAfter] = retryAfter
        return response
    }
}
