import Dispatch
import Foundation
import GRDB
import Synchronization

/// The embedded engine: one SQLite file through GRDB (a WAL-mode pool). A write
/// transaction is opened on GRDB's writer and held across the body's statements, one writer
/// at a time (`AsyncLock`), its statements sent in as few trips as its queries allow; reads
/// run on the pool's readers and see only committed data.
public struct SQLiteDatabase: SQLDatabase {
    public var dialect: SQLDialect { .sqlite }
    package let writer: DatabasePool
    private let writeLock = AsyncLock()
    /// Where GRDB's blocking writer calls wait, so no task's thread waits on SQLite.
    private let queue = DispatchQueue(label: "loanrisk.sqlite.writer")

    /// Opens (creating if needed) the database file at `path` in WAL mode and migrates it.
    public static func open(path: String) throws -> SQLiteDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Self.configuration
        configuration.prepareDatabase { db in
            // Batches are written in one transaction; normal sync is safe with WAL.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try SQLiteDatabase(DatabasePool(path: path, configuration: configuration))
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // `write` keeps its transaction open across the body's statements.
        configuration.allowsUnsafeTransactions = true
        // `loanrisk models` writes to a running server's file: wait for its writer. Its
        // transactions are short, but on a machine whose cores are busy one can stay open for
        // seconds between its statements; an operator's command should wait, not fail.
        configuration.busyMode = .timeout(30)
        return configuration
    }

    package init(_ writer: DatabasePool) throws {
        self.writer = writer
        try SQLiteMigrations.migrate(writer)
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await body(Connection(database: self, pending: nil))
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        await writeLock.lock()
        defer { writeLock.unlock() }
        let connection = Connection(database: self, pending: PendingStatements())
        connection.pending?.append { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        do {
            let value = try await body(connection)
            try await connection.flush { db in try db.execute(sql: "COMMIT") }
            return value
        } catch {
            connection.pending?.discard()
            try? await onWriter { db in if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") } }
            throw error
        }
    }

    public func isWritable() async -> Bool {
        do {
            try await write { connection in
                try await connection.execute("CREATE TEMP TABLE IF NOT EXISTS ready_probe(x)")
                try await connection.execute("DROP TABLE ready_probe")
            }
            return true
        } catch {
            return false
        }
    }

    /// One process serves an SQLite file: nothing to announce.
    public func notifyRegistryChanged() async {}
    public func registryChanges() -> AsyncStream<Void>? { nil }

    public func close() async {}

    /// Runs `work` on GRDB's writer connection, without cancellation (a statement of an open
    /// transaction, or its COMMIT, must not be cut off half way).
    fileprivate func onWriter<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let writer = self.writer
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try writer.writeWithoutTransaction(work) })
            }
        }
    }

    /// Statements of an open transaction that return nothing wait here and go to the writer
    /// together with the next query or the COMMIT: one trip to GRDB's writer instead of one
    /// per statement (an audit flush is one trip in all). A failure among them surfaces at
    /// that next call, still inside `write`, which rolls everything back.
    fileprivate final class PendingStatements: Sendable {
        private let work = Mutex<[@Sendable (Database) throws -> Void]>([])

        package func append(_ statement: @escaping @Sendable (Database) throws -> Void) {
            work.withLock { $0.append(statement) }
        }

        package func take() -> [@Sendable (Database) throws -> Void] {
            work.withLock { statements in
                defer { statements.removeAll() }
                return statements
            }
        }

        package func discard() {
            _ = take()
        }
    }

    fileprivate struct Connection: SQLConnection {
        package let database: SQLiteDatabase
        /// Inside `write`: the transaction's waiting statements (nil for reads).
        package let pending: PendingStatements?
        package var dialect: SQLDialect { .sqlite }

        /// Runs the waiting statements, then `work`, in one trip to the writer.
        package func flush<T: Sendable>(then work: @escaping @Sendable (Database) throws -> T) async throws -> T {
            let waiting = pending?.take() ?? []
            return try await database.onWriter { db in
                for statement in waiting { try statement(db) }
                return try work(db)
            }
        }

        package func execute(_ sql: String, _ arguments: [any SQLBindable]) async throws {
            let arguments = StatementArguments(arguments.map { $0.sqlValue.databaseValue })
            let statement: @Sendable (Database) throws -> Void = { db in try db.execute(sql: sql, arguments: arguments) }
            if let pending {
                pending.append(statement)
            } else {
                try await database.write { _ in try await database.onWriter(statement) }
            }
        }

        package func query(_ sql: String, _ arguments: [any SQLBindable]) async throws -> [SQLRow] {
            let arguments = StatementArguments(arguments.map { $0.sqlValue.databaseValue })
            let work: @Sendable (Database) throws -> [SQLRow] = { db in
                let statement = try db.cachedStatement(sql: sql)
                statement.setUncheckedArguments(arguments)
                let columns = SQLColumns(statement.columnNames)
                var rows: [SQLRow] = []
                let cursor = try Row.fetchCursor(statement)
                while let row = try cursor.next() {
                    rows.append(SQLRow(columns: columns, values: row.databaseValues.map(SQLValue.init)))
                }
                return rows
            }
            if pending != nil { return try await flush(then: work) }
            // RETURNING makes a write of a query: it goes to the writer.
            if sql.range(of: "RETURNING", options: .caseInsensitive) != nil { return try await database.write { _ in try await database.onWriter(work) } }
            return try await database.writer.read(work)
        }

        package func insert(into table: String, columns: [String], values: [SQLValue]) async throws {
            guard !columns.isEmpty, !values.isEmpty else { return }
            let insert = MultiRowInsert(table: table, columns: columns, valueCount: values.count, rowsPerStatement: min(500, 30_000 / columns.count))
            let statements: @Sendable (Database) throws -> Void = { db in
                for part in insert.statements {
                    let statement = try db.cachedStatement(sql: part.sql)
                    try SQLiteBinding.bind(values[part.values], to: statement)
                    try statement.execute()
                }
            }
            if let pending {
                pending.append(statements)
            } else {
                try await database.write { _ in try await database.onWriter(statements) }
            }
        }
    }
}

extension SQLValue {
    /// As GRDB binds it (dates as GRDB's UTC text).
    package var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let value): return value.databaseValue
        case .real(let value): return value.databaseValue
        case .text(let value): return value.databaseValue
        case .blob(let value): return value.databaseValue
        case .date(let value): return SQLiteDateText.text(from: value).databaseValue
        case .bool(let value): return value.databaseValue
        }
    }

    package init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let value): self = .blob(value)
        }
    }
}
