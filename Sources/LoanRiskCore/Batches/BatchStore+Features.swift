import Foundation
import LoanRiskStorage
import Scoring

/// What is written just after the batch, so that the upload does not wait for it: the inputs of
/// reasons (read a page or a chunk at a time) and the rows' uploaded cells (the table's columns).
extension BatchStore {
    /// Whether a batch's row features (and cells) can be read yet.
    public enum FeaturesState: Sendable, Equatable {
        case stored
        /// Being written after the batch (a moment after its upload), with the rows' cells.
        case pending
        /// None: the batch was stored before features were kept, its model cannot be
        /// explained, or their write was cut short by a stop.
        case none
    }

    package static let featureColumns = ["batch_key", "first_row", "row_count", "features", "issues"]
    package static let cellColumns = ["batch_key", "row_number", "cells"]

    /// Writes the batch's row features and the rows' cells in a transaction of their own,
    /// after `insert`, and clears its pending mark. A batch deleted meanwhile is left alone.
    /// The cells are as large as the file: in the upload's own transaction they would make
    /// every upload wait for them.
    /// `cells` are the rows' cells as JSON arrays, row 1 first (`RowCells.json`).
    public func insertDeferred(batch id: String, features blocks: [RowFeatures.Block], cells rows: [String]) async throws {
        // Worded before the transaction, so the writer is held only for the inserts.
        let issues = blocks.map(\.issuesJSON)
        try await database.write { db in
            guard let key = try await Self.key(db, id) else { return }
            var values: [SQLValue] = []
            values.reserveCapacity(blocks.count * Self.featureColumns.count)
            for (block, issues) in zip(blocks, issues) {
                values += [.integer(key), block.firstRow.sqlValue, block.rowCount.sqlValue, block.blob.sqlValue, issues.sqlValue]
            }
            if !values.isEmpty { try await db.insert(into: "batch_row_features", columns: Self.featureColumns, values: values) }
            var cells: [SQLValue] = []
            cells.reserveCapacity(rows.count * Self.cellColumns.count)
            for (index, text) in rows.enumerated() {
                cells += [.integer(key), (index + 1).sqlValue, text.sqlValue]
            }
            if !cells.isEmpty { try await db.insert(into: "batch_row_cells", columns: Self.cellColumns, values: cells) }
            try await db.execute("UPDATE batch SET features_pending = ? WHERE key = ?", [false, key])
        }
    }

    /// The stored features of the given rows of a batch, by row number. Rows of batches
    /// stored before features were kept are absent; rows that were not scored may be present
    /// (callers explain only scored rows).
    public func features(batch id: String, rows: [Int]) async throws -> [Int: RowFeatures] {
        guard !rows.isEmpty else { return [:] }
        let wanted = Set(rows)
        return try await database.read { db in
            guard let key = try await Self.key(db, id) else { return [:] }
            // The block holding each row: the last one starting at or before it.
            var starts: Set<Int> = []
            for row in wanted {
                if let start = try await db.scalar(
                    "SELECT first_row FROM batch_row_features WHERE batch_key = ? AND first_row <= ? ORDER BY first_row DESC LIMIT 1",
                    [key, row], as: Int.self) {
                    starts.insert(start)
                }
            }
            guard !starts.isEmpty else { return [:] }
            let blocks = try await db.query(
                "SELECT * FROM batch_row_features WHERE batch_key = ? AND first_row IN \(db.placeholders(starts.count))",
                [key] + starts.sorted().map { $0 as any SQLBindable })
            return try Self.rows(in: blocks).filter { wanted.contains($0.key) }
        }
    }

    /// The stored features of the rows numbered `range` (file order), for the reasons CSV.
    public func features(batch id: String, rowNumbers range: ClosedRange<Int>) async throws -> [Int: RowFeatures] {
        try await database.read { db in
            guard let key = try await Self.key(db, id) else { return [:] }
            let blocks = try await db.query(
                "SELECT * FROM batch_row_features WHERE batch_key = ? AND first_row <= ? AND first_row + row_count > ?",
                [key, range.upperBound, range.lowerBound])
            return try Self.rows(in: blocks).filter { range.contains($0.key) }
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
        try await database.read { db in
            guard let key = try await Self.key(db, id) else { return .none }
            if try await db.scalar("SELECT features_pending FROM batch WHERE key = ?", [key], as: Bool.self) == true { return .pending }
            let stored = try await db.scalar("SELECT EXISTS (SELECT 1 FROM batch_row_features WHERE batch_key = ?)", [key], as: Bool.self) ?? false
            return stored ? .stored : .none
        }
    }

    /// One row of a batch by its number (1-based, file order), with its stored features
    /// (waiting a moment for them if they are still being written).
    public func row(batch id: String, number: Int) async throws -> (row: StoredRow, features: RowFeatures?)? {
        guard let row = try await database.read({ db -> StoredRow? in
            guard let key = try await Self.key(db, id) else { return nil }
            return try await db.queryOne("SELECT \(Self.rowSelection(dialect: db.dialect)) FROM batch_row WHERE batch_key = ? AND row_number = ?", [key, number])
                .map { try Self.storedRow($0) }
        }) else { return nil }
        // Just after an upload the features may still be on their way: worth a short wait.
        _ = try await featuresState(batch: id, waitingUpTo: .seconds(2))
        return (row, try await features(batch: id, rows: [number])[number])
    }

    private static func rows(in blocks: [SQLRow]) throws -> [Int: RowFeatures] {
        var result: [Int: RowFeatures] = [:]
        for block in blocks {
            guard let rows = RowFeatures.rows(
                firstRow: try block.get("first_row"), rowCount: try block.get("row_count"), blob: try block.get("features"),
                issuesJSON: try block.get("issues"))
            else { continue }
            result.merge(rows) { first, _ in first }
        }
        return result
    }
}
