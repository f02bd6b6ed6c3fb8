import Foundation
import GRDB
import Scoring

/// The stored inputs of reasons: written just after the batch, read a page (or a chunk) at a time.
extension BatchStore {
    /// Whether a batch's row features can be read yet.
    public enum FeaturesState: Sendable, Equatable {
        case stored
        /// Being written after the batch (a moment after its upload).
        case pending
        /// None: the batch was stored before features were kept, its model cannot be
        /// explained, or their write was cut short by a stop.
        case none
    }

    /// Writes the batch's row features in a transaction of their own, after `insert`, and
    /// clears its pending mark. A batch deleted meanwhile is left alone.
    public func insertFeatures(batch id: String, _ blocks: [RowFeatures.Block]) async throws {
        // Worded before the transaction, so the writer is held only for the inserts.
        let issues = blocks.map(\.issuesJSON)
        try await database.writer.write { db in
            guard let key = try Self.key(db, id) else { return }
            try Self.insertFeatures(blocks, issues: issues, key: key, db)
            try db.execute(sql: "UPDATE batch SET features_pending = 0 WHERE key = ?", arguments: [key])
        }
    }

    /// `issues[i]`: block i's `issuesJSON`.
    static func insertFeatures(_ blocks: [RowFeatures.Block], issues: [String?], key: Int64, _ db: Database) throws {
        let blocksPerStatement = 100
        for start in stride(from: 0, to: blocks.count, by: blocksPerStatement) {
            let part = blocks[start..<min(start + blocksPerStatement, blocks.count)]
            let placeholders = Array(repeating: "(?, ?, ?, ?, ?)", count: part.count).joined(separator: ", ")
            let statement = try db.cachedStatement(sql: """
                INSERT INTO batch_row_features (batch_key, first_row, row_count, features, issues) VALUES \(placeholders)
                """)
            var values: [(any DatabaseValueConvertible)?] = []
            values.reserveCapacity(part.count * 5)
            for (index, block) in zip(part.indices, part) { values += [key, block.firstRow, block.rowCount, block.blob, issues[index]] }
            statement.setUncheckedArguments(StatementArguments(values))
            try statement.execute()
        }
    }

    /// The stored features of the given rows of a batch, by row number. Rows of batches
    /// stored before features were kept are absent; rows that were not scored may be present
    /// (callers explain only scored rows).
    public func features(batch id: String, rows: [Int]) async throws -> [Int: RowFeatures] {
        guard !rows.isEmpty else { return [:] }
        let wanted = Set(rows)
        return try await database.writer.read { db in
            guard let key = try Self.key(db, id) else { return [:] }
            // The block holding each row: the last one starting at or before it.
            var starts: Set<Int> = []
            for row in wanted {
                if let start = try Int.fetchOne(
                    db, sql: "SELECT first_row FROM batch_row_features WHERE batch_key = ? AND first_row <= ? ORDER BY first_row DESC LIMIT 1",
                    arguments: [key, row]) {
                    starts.insert(start)
                }
            }
            guard !starts.isEmpty else { return [:] }
            let placeholders = Array(repeating: "?", count: starts.count).joined(separator: ", ")
            let blocks = try Row.fetchAll(
                db, sql: "SELECT * FROM batch_row_features WHERE batch_key = ? AND first_row IN (\(placeholders))",
                arguments: StatementArguments([key] + starts.map(Int64.init)))
            return Self.rows(in: blocks).filter { wanted.contains($0.key) }
        }
    }

    /// The stored features of the rows numbered `range` (file order), for the reasons CSV.
    public func features(batch id: String, rowNumbers range: ClosedRange<Int>) async throws -> [Int: RowFeatures] {
        try await database.writer.read { db in
            guard let key = try Self.key(db, id) else { return [:] }
            let blocks = try Row.fetchAll(
                db, sql: "SELECT * FROM batch_row_features WHERE batch_key = ? AND first_row <= ? AND first_row + row_count > ?",
                arguments: [key, range.upperBound, range.lowerBound])
            return Self.rows(in: blocks).filter { range.contains($0.key) }
        }
    }

    /// The batch's features state, waiting up to `timeout` while they are still being
    /// written (a few tenths of a second after an upload).
    public func featuresState(batch id: String, waitingUpTo timeout: Duration) async throws -> FeaturesState {
        let deadline = ContinuousClock.now + timeout
        var state = try await featuresState(batch: id)
        while state == .pending, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            state = try await featuresState(batch: id)
        }
        return state
    }

    /// Whether the batch's features are stored, still being written, or absent.
    public func featuresState(batch id: String) async throws -> FeaturesState {
        try await database.writer.read { db in
            guard let key = try Self.key(db, id) else { return .none }
            if try Bool.fetchOne(db, sql: "SELECT features_pending FROM batch WHERE key = ?", arguments: [key]) == true { return .pending }
            let stored = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM batch_row_features WHERE batch_key = ?)", arguments: [key]) ?? false
            return stored ? .stored : .none
        }
    }

    /// One row of a batch by its number (1-based, file order), with its stored features
    /// (waiting a moment for them if they are still being written).
    public func row(batch id: String, number: Int) async throws -> (row: StoredRow, features: RowFeatures?)? {
        guard let row = try await database.writer.read({ db -> StoredRow? in
            guard let key = try Self.key(db, id) else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM batch_row WHERE batch_key = ? AND row_number = ?", arguments: [key, number])
                .map(Self.storedRow)
        }) else { return nil }
        // Just after an upload the features may still be on their way: worth a short wait.
        _ = try await featuresState(batch: id, waitingUpTo: .seconds(2))
        return (row, try await features(batch: id, rows: [number])[number])
    }

    private static func rows(in blocks: [Row]) -> [Int: RowFeatures] {
        var result: [Int: RowFeatures] = [:]
        for block in blocks {
            guard let rows = RowFeatures.rows(
                firstRow: block["first_row"], rowCount: block["row_count"], blob: block["features"], issuesJSON: block["issues"])
            else { continue }
            result.merge(rows) { first, _ in first }
        }
        return result
    }
}
