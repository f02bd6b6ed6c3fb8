import Foundation

/// The one storage protocol: every store (batches, audit, registry, shadow pairs, monitoring)
/// speaks to its database through it, in SQL both engines understand, so each store is
/// written once. `SQLiteDatabase` (GRDB, the embedded default) and `PostgresDatabase`
/// (postgres-nio, when `DATABASE_URL` is set) implement it and pass the same tests.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }

    /// Runs `body` for reading; it sees committed data only.
    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws
    /// (or the task is cancelled part way).
    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T

    /// Whether the database accepts writes now (readiness).
    func isWritable() async -> Bool

    /// Announces that the registry changed, so other instances on this database pick it up
    /// at once. A no-op where instances cannot share the database.
    func notifyRegistryChanged() async

    /// Each registry change announced by any instance, for as long as the caller iterates;
    /// nil where there are no announcements (the caller polls).
    func registryChanges() -> AsyncStream<Void>?

    /// Releases connections (the PostgreSQL pool's run loop ends with the service group).
    func close() async
}

/// Where the two engines' SQL differs.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// Case-insensitive `LIKE`: SQLite's LIKE already ignores ASCII case.
    package var likeIgnoringCase: String { self == .postgres ? "ILIKE" : "LIKE" }

    /// Element `index` of a JSON array of strings held in a text column, as text (NULL when the
    /// column is NULL or shorter).
    package func jsonArrayElement(_ column: String, _ index: Int) -> String {
        self == .postgres ? "(\(column)::json ->> \(index))" : "json_extract(\(column), '$[\(index)]')"
    }
}

/// A connection inside `read` or `write`. Statements use `?` placeholders.
public protocol SQLConnection: Sendable {
    var dialect: SQLDialect { get }

    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: [any SQLBindable]) async throws

    /// Runs a query and returns all its rows.
    func query(_ sql: String, _ arguments: [any SQLBindable]) async throws -> [SQLRow]

    /// Inserts many rows: `values` row after row, `columns.count` to a row, in as few
    /// statements as the engine allows.
    func insert(into table: String, columns: [String], values: [SQLValue]) async throws
}

extension SQLConnection {
    public func execute(_ sql: String) async throws {
        try await execute(sql, [])
    }

    public func query(_ sql: String) async throws -> [SQLRow] {
        try await query(sql, [])
    }

    /// The first row of a query, or nil.
    public func queryOne(_ sql: String, _ arguments: [any SQLBindable] = []) async throws -> SQLRow? {
        try await query(sql, arguments).first
    }

    /// The first column of the first row, or nil when there is no row or it is NULL.
    public func scalar<T: SQLReadable>(_ sql: String, _ arguments: [any SQLBindable] = [], as type: T.Type = T.self) async throws -> T? {
        try await queryOne(sql, arguments)?.first(as: T.self)
    }

    /// A `(?, ?, …)` list of `count` placeholders, for `IN`.
    public func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}
