import Hummingbird
import Scoring

/// Who may read `/metrics` (`METRICS_TOKEN`): nobody until a token is set (refused), anyone
/// (`off`: the operator's network is trusted), or the scraper that sends the token as
/// `Authorization: Bearer …` (Prometheus' `authorization` setting).
public enum MetricsAccess: Sendable, Equatable {
    case refused
    case open
    case token(String)

    /// The 401 answer when the request may not read the metrics, nil when it may. The token is
    /// compared in constant time on its SHA-256, and never logged.
    func refusal(_ request: Request) -> Response? {
        switch self {
        case .open: return nil
        case .refused:
            return Self.unauthorized("Set METRICS_TOKEN and send it as 'Authorization: Bearer <token>' (or METRICS_TOKEN=off to leave /metrics open).\n")
        case .token(let expected):
            let header = request.headers[.authorization] ?? ""
            let offered = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
            let a = SHA256.digest(Array(offered.utf8))
            let b = SHA256.digest(Array(expected.utf8))
            var difference: UInt8 = 0
            for (x, y) in zip(a, b) { difference |= x ^ y }
            return difference == 0 ? nil : Self.unauthorized("Send METRICS_TOKEN as 'Authorization: Bearer <token>'.\n")
        }
    }

    private static func unauthorized(_ message: String) -> Response {
        Response(
            status: .unauthorized,
            headers: [.wwwAuthenticate: #"Bearer realm="loanrisk-metrics""#, .contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}
