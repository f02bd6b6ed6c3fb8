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
public final class PostgresDatabase: SQLDatabase, Service {
    public var dialect: SQLDialect { .postgres }
    package let client: PostgresClient
    private let logger: Logger
    private let runner: Task<Void, Never>
    /// The schema LoanRisk's tables live in (`?schema=` in the URL; else the user's default).
    package let schema: String?
    /// Where registry changes are announced: per schema, as instances share a schema.
    package let registryChannel: String

    /// Connects to the `postgres://` URL, waits for the database to answer, and migrates it.
    public static func connect(url: String, logger: Logger) async throws -> PostgresDatabase {
        let (configuration, schema) = try PostgresURL.configuration(url)
        let database = PostgresDatabase(configuration: configuration, schema: schema, logger: logger)
        do {
            try await PostgresMigrations.migrate(database)
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    private init(configuration: PostgresClient.Configuration, schema: String?, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.schema = schema
        registryChannel = "loanrisk_registry" + (schema.map { "_" + $0 } ?? "")
        // Started at once, so the pool runs before the first lease (the migration).
        runner = Task.immediate { await client.run() }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    public func close() async {
        runner.cancel()
        await runner.value
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await lease(body)
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await lease { wrapped in
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

    /// A pooled connection for `body`. When the caller's task is cancelled (a graceful
    /// shutdown stopping a background service) the pool answers `requestCancelled`; that is
    /// thrown as the `CancellationError` it stands for, so services stop quietly, as they do
    /// on SQLite, instead of logging an error on every shutdown.
    private func lease<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await body(Connection(connection: connection, logger: logger))
            }
        } catch where Task.isCancelled && !(error is CancellationError) {
            throw CancellationError()
        }
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
    /// connection is listened on again after a second (polling covers the gap).
    public func registryChanges() -> AsyncStream<Void>? {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let client = self.client
        let logger = self.logger
        let channel = registryChannel
        let listener = Task {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            continuation.yield()  // changes made while not listening
                            for try await _ in notifications { continuation.yield() }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("registry listener lost; listening again", metadata: ["error": .string("\(error)")])
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
        }
    }
}
