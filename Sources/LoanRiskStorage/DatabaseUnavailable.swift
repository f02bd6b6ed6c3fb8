/// The database cannot be reached just now — PostgreSQL stopped, restarting, out of
/// connection slots, or the network between us down. A request that needs the database gets
/// this at once during an outage instead of waiting on the connection pool, and the HTTP
/// surfaces answer it as 503; the storage layer notices by itself when the database is back.
public struct DatabaseUnavailable: Error, Sendable, CustomStringConvertible {
    /// Why, in PostgreSQL's words where it gave any (never the connection string).
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "The database cannot be reached: \(reason)" }
}
