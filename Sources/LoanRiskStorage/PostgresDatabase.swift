import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// PostgreSQL through postgres-nio's pooled `PostgresClient`, for several instances sharing
/// one database. The pool runs from `connect` (start-up reads the registry before the
/// service group starts) and is closed as the application's first service, so it is shut
/// down last, after the services that write on their way out.
///
/// During an outage nothing waits on it: a lease that gets no connection within
/// `leaseWait` has the server probed, and while it cannot be reached every lease fails at
/// once with `DatabaseUnavailable` (`PostgresReachability`); once it answers again the pool is
/// replaced by a fresh one. Errors come out as `PostgresFailure`s, in PostgreSQL's words.
public final class PostgresDatabase: SQLDatabase, Service {
    public var dialect: SQLDialect { .postgres }
    private let pool: PostgresPool
    private let reachability: PostgresReachability
    private let logger: Logger
    /// The schema LoanRisk's tables live in (`?schema=` in the URL; else the user's default).
    package let schema: String?
    /// Where registry changes are announced: per schema, as instances share a schema.
    package let registryChannel: String
    /// How long a lease waits for the pool before the server is probed. Normally a
    /// connection comes in microseconds; this only runs out when all 20 are busy or none can
    /// be made.
    package static let leaseWait: Duration = .milliseconds(400)

    /// Connects to the `postgres://` URL, waits for the database to answer, and migrates it.
    public static func connect(url: String, logger: Logger) async throws -> PostgresDatabase {
        let settings = try PostgresURL.configuration(url)
        try await PostgresCertificateCheck.run(settings, logger: logger)
        let database = PostgresDatabase(settings, logger: logger)
        do {
            try await PostgresMigrations.migrate(database)
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    private init(_ settings: PostgresURL.Settings, logger: Logger) {
        let pool = PostgresPool(configuration: settings.client, logger: logger)
        self.pool = pool
        reachability = PostgresReachability(configuration: settings.probe, logger: logger) { pool.renew() }
        self.logger = logger
        schema = settings.schema
        registryChannel = "loanrisk_registry" + (settings.schema.map { "_" + $0 } ?? "")
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    public func close() async {
        reachability.close()
        await pool.close()
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await lease(patient: false, body)
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await write(patient: false, body)
    }

    /// `write`; a `patient` one waits for the pool as it always did, up to its circuit
    /// breaker's minute (the migration at start-up: a database still starting is waited for).
    package func write<T: Sendable>(patient: Bool, _ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await lease(patient: patient) { wrapped in
            try await wrapped.execute("BEGIN")
            do {
                let value = try await body(wrapped)
                try await wrapped.execute("COMMIT")
                return value
            } catch {
                // The body's own error is what the caller needs, not the rollback's.
                try? await wrapped.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A pooled connection as an `SQLConnection`. (The body runs in a task the lease awaits,
    /// so it never outlives this call: it does not actually escape.)
    private func lease<T: Sendable>(patient: Bool, _ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let (pool, reachability, logger) = (self.pool, self.reachability, self.logger)
        return try await withoutActuallyEscaping(body) { body in
            try await Self.connection(pool: pool, reachability: reachability, patient: patient) { connection in
                try await body(Connection(connection: connection, logger: logger))
            }
        }
    }

    /// A pooled connection for `body`, failing fast during an outage. When the caller's task
    /// is cancelled (a graceful shutdown stopping a background service) the pool answers
    /// `requestCancelled`; that is thrown as the `CancellationError` it stands for, so
    /// services stop quietly, as they do on SQLite, instead of logging an error on every
    /// shutdown. A lost connection is thrown as `DatabaseUnavailable` and has the server probed.
    private static func connection<T: Sendable>(
        pool: PostgresPool, reachability: PostgresReachability, patient: Bool, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        if !patient, let outage = reachability.outage { throw outage }
        let client = pool.client
        do {
            if patient {
                return try await client.withConnection { connection in try await body(connection) }
            }
            return try await PostgresLease.run(from: client, wait: leaseWait, verify: { await reachability.verify() }, body)
        } catch where Task.isCancelled && !(error is CancellationError) {
            throw CancellationError()
        } catch let error as PSQLError {
            throw unavailable(PostgresFailure(error), reachability)
        } catch let failure as PostgresFailure {
            throw unavailable(failure, reachability)
        }
    }

    /// A failure that means the server is gone becomes the outage (and has it probed).
    private static func unavailable(_ failure: PostgresFailure, _ reachability: PostgresReachability) -> any Error {
        guard failure.meansUnavailable else { return failure }
        reachability.suspect()
        return DatabaseUnavailable(reason: failure.description)
    }

    public func isWritable() async -> Bool {
        (try? await read { db in try await db.scalar("SELECT NOT pg_is_in_recovery()", as: Bool.self) }) == true
    }

    public func notifyRegistryChanged() async {
        do {
            try await read { db in try await db.execute("SELECT pg_notify(?, '')", [registryChannel]) }
        } catch {
            // Other instances still poll: the change reaches them a moment later.
            logger.warning("registry change not announced", metadata: ["error": .string("\(error)")])
        }
    }

    /// Listens on a connection of its own for as long as the stream is iterated; a lost
    /// connection is listened on again after a second (polling covers the gap). An outage is
    /// not logged here every second: `PostgresReachability` says it once.
    public func registryChanges() -> AsyncStream<Void>? {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let (pool, reachability, logger, channel) = (self.pool, self.reachability, self.logger, registryChannel)
        let listener = Task {
            while !Task.isCancelled {
                do {
                    try await Self.connection(pool: pool, reachability: reachability, patient: false) { connection in
                        try await connection.listen(on: channel) { notifications in
                            continuation.yield()  // changes made while not listening
                            for try await _ in notifications { continuation.yield() }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    if !(error is DatabaseUnavailable) {
                        logger.warning("registry listener lost; listening again", metadata: ["error": .string("\(error)")])
                    }
                }
                try? await Task.sleep(for: .seconds(1))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in listener.cancel() }
        return stream
    }

    package struct Connection: SQLConnection {
        package let connection: PostgresConnection
        package let logger: Logger
        package var dialect: SQLDialect { .postgres }

        package func execute(_ sql: String, _ arguments: [any SQLBindable]) async throws {
            _ = try await run(sql, arguments.map(\.sqlValue))
        }

        package func query(_ sql: String, _ arguments: [any SQLBindable]) async throws -> [SQLRow] {
            try await run(sql, arguments.map(\.sqlValue))
        }

        package func insert(into table: String, columns: [String], values: [SQLValue]) async throws {
            guard !columns.isEmpty, !values.isEmpty else { return }
            // A statement takes at most 65,535 parameters.
            let insert = MultiRowInsert(table: table, columns: columns, valueCount: values.count, rowsPerStatement: min(1_000, 60_000 / columns.count))
            for part in insert.statements {
                _ = try await run(part.sql, Array(values[part.values]))
            }
        }

        private func run(_ sql: String, _ values: [SQLValue]) async throws -> [SQLRow] {
            var bindings = PostgresBindings(capacity: values.count)
            for value in values { try bindings.append(value) }
            do {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: PostgresPlaceholders.numbered(sql), binds: bindings), logger: logger)
                var result: [SQLRow] = []
                var columns: SQLColumns?
                for try await row in rows {
                    let cells = Array(row)
                    let names = columns ?? SQLColumns(cells.map(\.columnName))
                    columns = names
                    result.append(SQLRow(columns: names, values: try cells.map(SQLValue.init(cell:))))
                }
                return result
            } catch let error as PSQLError {
                // In PostgreSQL's words, never the statement's values.
                throw PostgresFailure(error)
            }
        }
    }
}
