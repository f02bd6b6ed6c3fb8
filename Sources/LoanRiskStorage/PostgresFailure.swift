import PostgresNIO

/// A PostgreSQL error in words an operator can act on. postgres-nio's `PSQLError` prints a
/// fixed "Generic description to prevent accidental leakage…" instead of what happened; this
/// keeps what the server said — its message, detail, hint and SQLSTATE — or, for a failure on
/// our side of the socket (a refused connection, a dropped one), what failed. It never holds
/// the statement, its values or the connection string.
public struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    /// The server's five-character SQLSTATE (`23505`, `42601`, `57P01` …); nil when the
    /// failure happened before or outside a server answer.
    public let sqlState: String?
    /// The server's message, or what failed on the client's side.
    public let message: String
    public let detail: String?
    public let hint: String?
    /// Whether it means the database cannot be reached (rather than that a statement failed):
    /// the connection could not be made or was lost, the server is shutting down or starting
    /// up, or it has no connection slot left.
    public let meansUnavailable: Bool

    package init(_ error: PSQLError) {
        if error.code == .server, let info = error.serverInfo {
            let state = info[.sqlState]
            sqlState = state
            message = info[.message] ?? "an error without a message"
            // A constraint's detail may repeat the whole row ("Failing row contains (…)"),
            // which can be an applicant's data: never kept.
            detail = info[.detail].flatMap { $0.hasPrefix("Failing row contains") ? nil : $0 }
            hint = info[.hint]
            meansUnavailable = state.map(Self.isUnavailable) ?? false
            return
        }
        sqlState = nil
        detail = nil
        hint = nil
        let cause = error.underlying.map { ": \(Self.words($0))" } ?? ""
        switch error.code {
        case .connectionError:
            message = "could not connect\(cause)"
            meansUnavailable = true
        case .serverClosedConnection, .uncleanShutdown:
            message = "the server closed the connection\(cause)"
            meansUnavailable = true
        case .clientClosedConnection:
            message = "the connection was closed\(cause)"
            meansUnavailable = true
        case .poolClosed:
            message = "the connection pool is closed"
            meansUnavailable = true
        default:
            message = "\(error.code)\(cause)"
            meansUnavailable = false
        }
    }

    /// A failure that is not a `PSQLError` (the pool's own, a TLS handshake's), in words.
    package init(unavailable error: any Error) {
        sqlState = nil
        message = Self.words(error)
        detail = nil
        hint = nil
        meansUnavailable = true
    }

    public var description: String {
        var text = "PostgreSQL: \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += ". \(detail)" }
        if let hint { text += " Hint: \(hint)" }
        return text
    }

    /// Connection exceptions (class 08), an administrator or crash shutdown, a server still
    /// starting (57P01–57P03), and no connection slot left (53300).
    package static func isUnavailable(_ sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(sqlState)
    }

    /// Any error in words, `PSQLError`s included (whose own description says nothing).
    package static func words(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError: PostgresFailure(error).description
        case let error as PostgresFailure: error.description
        default: String(describing: error)
        }
    }
}
