import Hummingbird
import Scoring

/// Who may read `/metrics` (`METRICS_TOKEN`): nobody until a token is set (refused), anyone
/// (`off`: the operator's network is trusted), or the scraper that sends the token as
/// `Authorization: Bearer …` (Prometheus' `authorization` setting).
public enum MetricsAccess: Sendable, Equatable {
    case refused
    case open
    case token(String)

    /// Throws 401 unless the request may read the metrics. The token is compared in
    /// constant time on its SHA-256, and never logged.
    func check(_ request: Request) throws {
        switch self {
        case .open: return
        case .refused:
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: #"Bearer realm="loanrisk-metrics""#],
                message: "Set METRICS_TOKEN and send it as 'Authorization: Bearer <token>' (or METRICS_TOKEN=off to leave /metrics open).")
        case .token(let expected):
            let header = request.headers[.authorization] ?? ""
            let offered = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
            let a = SHA256.digest(Array(offered.utf8))
            let b = SHA256.digest(Array(expected.utf8))
            var difference: UInt8 = 0
            for (x, y) in zip(a, b) { difference |= x ^ y }
            guard difference == 0 else {
                throw HTTPError(
                    .unauthorized, headers: [.wwwAuthenticate: #"Bearer realm="loanrisk-metrics""#],
                    message: "Send METRICS_TOKEN as 'Authorization: Bearer <token>'.")
            }
        }
    }
}
