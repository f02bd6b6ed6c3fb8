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
    let client: PostgresClient
    private let logger: Logger
    private let runner: Task<Void, Never>
    /// The schema LoanRisk's tables live in (`?schema=` in the URL; else the user's default).
    let schema: String?
    /// Where registry changes are announced: per schema, as instances share a schema.
    let registryChannel: String

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
        try await client.withConnection { connection in
            try await body(Connection(connection: connection, logger: logger))
        }
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let wrapped = Connection(connection: connection, logger: logger)
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

    struct Connection: SQLConnection {
        let connection: PostgresConnection
        let logger: Logger
        var dialect: SQLDialect { .postgres }

        func execute(_ sql: String, _ arguments: [any SQLBindable]) async throws {
            _ = try await run(sql, arguments.map(\.sqlValue))
        }

        func query(_ sql: String, _ arguments: [any SQLBindable]) async throws -> [SQLRow] {
            try await run(sql, arguments.map(\.sqlValue))
        }

        func insert(into table: String, columns: [String], values: [SQLValue]) async throws {
            guard !columns.isEmpty, !values.isEmpty else { return }
            // A statement takes at most 65,535 parameters.
            let rowsPerStatement = max(1, min(1_000, 60_000 / columns.count))
            let rowCount = values.count / columns.count
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            for start in stride(from: 0, to: rowCount, by: rowsPerStatement) {
                let count = min(rowsPerStatement, rowCount - start)
                let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(Array(repeating: tuple, count: count).joined(separator: ", "))"
                _ = try await run(sql, Array(values[(start * columns.count)..<((start + count) * columns.count)]))
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

/// `?` placeholders as PostgreSQL numbers them (`$1`, `$2`, …), leaving quoted text alone.
enum PostgresPlaceholders {
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?", !quoted {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }
}

extension PostgresBindings {
    mutating func append(_ value: SQLValue) throws {
        switch value {
        case .null: appendNull()
        case .integer(let value): append(value)
        case .real(let value): append(value)
        case .text(let value): append(value)
        case .blob(let value): append(ByteBuffer(bytes: value))
        case .date(let value): append(value)
        case .bool(let value): append(value)
        }
    }
}

extension SQLValue {
    init(cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .bool: self = .bool(try cell.decode(Bool.self))
        case .int2, .int4, .int8: self = .integer(try cell.decode(Int64.self))
        case .float4, .float8: self = .real(try cell.decode(Double.self))
        case .bytea: self = .blob(Data(try cell.decode(ByteBuffer.self).readableBytesView))
        case .timestamptz, .timestamp: self = .date(try cell.decode(Date.self))
        case .numeric: self = .text("\(try cell.decode(Decimal.self))")
        default: self = .text(try cell.decode(String.self))
        }
    }
}

/// `DATABASE_URL` as postgres-nio's configuration: `postgres://user:password@host:port/database`,
/// with libpq's `sslmode` (`disable`, `prefer` — the default — or `require`) and our
/// `schema` (tables in that schema, created if missing: LoanRisk beside other applications
/// in one database, or each test in a schema of its own).
enum PostgresURL {
    static func configuration(_ url: String) throws -> (PostgresClient.Configuration, schema: String?) {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw SQLError.badURL("must look like postgres://user:password@host:5432/database.")
        }
        guard let host = components.host, !host.isEmpty else { throw SQLError.badURL("names no host.") }
        guard let user = components.user, !user.isEmpty else { throw SQLError.badURL("names no user.") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw SQLError.badURL("has sslmode=\(sslmode); use disable, prefer or require.")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = 20
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        if let schema {
            guard let first = schema.unicodeScalars.first, CharacterSet.lowercaseLetters.contains(first) || first == "_",
                  schema.unicodeScalars.allSatisfy({ CharacterSet.lowercaseLetters.contains($0) || CharacterSet.decimalDigits.contains($0) || $0 == "_" }),
                  schema.count <= 40, schema.allSatisfy(\.isASCII) else {
                throw SQLError.badURL("has schema=\(schema); a schema name is lower-case letters, digits and _, starting with a letter.")
            }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return (configuration, schema)
    }
}
