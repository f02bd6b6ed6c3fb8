import Foundation
import GRDB
import Scoring

/// The stored inputs of reasons: written with the batch, read a page (or a chunk) at a time.
extension BatchStore {
    static func insertFeatures(_ blocks: [RowFeatures.Block], key: Int64, _ db: Database) throws {
        let blocksPerStatement = 100
        for start in stride(from: 0, to: blocks.count, by: blocksPerStatement) {
            let part = blocks[start..<min(start + blocksPerStatement, blocks.count)]
            let placeholders = Array(repeating: "(?, ?, ?, ?, ?)", count: part.count).joined(separator: ", ")
            let statement = try db.cachedStatement(sql: """
                INSERT INTO batch_row_features (batch_key, first_row, row_count, features, issues) VALUES \(placeholders)
                """)
            var values: [(any DatabaseValueConvertible)?] = []
            values.reserveCapacity(part.count * 5)
            for block in part { values += [key, block.firstRow, block.rowCount, block.blob, block.issuesJSON] }
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

    /// Whether the batch has stored features (false for batches stored before they were kept).
    public func hasFeatures(batch id: String) async throws -> Bool {
        try await database.writer.read { db in
            guard let key = try Self.key(db, id) else { return false }
            return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM batch_row_features WHERE batch_key = ?)", arguments: [key]) ?? false
        }
    }

    /// One row of a batch by its number (1-based, file order), with its stored features.
    public func row(batch id: String, number: Int) async throws -> (row: StoredRow, features: RowFeatures?)? {
        guard let row = try await database.writer.read({ db -> StoredRow? in
            guard let key = try Self.key(db, id) else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM batch_row WHERE batch_key = ? AND row_number = ?", arguments: [key, number])
                .map(Self.storedRow)
        }) else { return nil }
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
