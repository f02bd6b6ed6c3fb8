import Foundation
import GRDB
import Scoring

/// Batches and their rows in SQLite: written once in one transaction (nothing half-stored),
/// read a page at a time, deleted whole.
public struct BatchStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// A batch to store: its summary, one row per applicant, what each scored row needs for
    /// its reasons later (written by `insertFeatures` after the batch), and the uploaded file
    /// gzip-compressed.
    public struct NewBatch: Sendable {
        public var summary: BatchSummary
        public var rows: [StoredRow]
        public var features: [RowFeatures.Block] = []
        public var gzipFile: Data
        public var fileByteCount: Int
        /// The scoring version's sha256, for the rows' audit records.
        public var modelSha256: String
    }

    public func insert(_ batch: NewBatch) async throws {
        let s = batch.summary
        let audit = try AuditBatch(summary: s, rows: batch.rows, modelSha256: batch.modelSha256)
        let histogram = String(decoding: try JSONEncoder().encode(s.histogram), as: UTF8.self)
        let header = String(decoding: try JSONEncoder().encode(s.header), as: UTF8.self)
        let drift = try s.drift.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO batch (id, model_name, model_version, file_name, created_at, row_count, valid_count,
                      warning_count, approve_count, review_count, decline_count, mean_probability, histogram, header, id_column,
                      features_pending, drift, drift_band)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [s.id, s.modelName, s.modelVersion, s.fileName, s.createdAt, s.rowCount, s.validCount,
                            s.warningCount, s.approveCount, s.reviewCount, s.declineCount, s.meanProbability,
                            histogram, header, s.idColumn, !batch.features.isEmpty, drift, s.drift?.band.rawValue])
            let key = db.lastInsertedRowID
            // Many rows per statement: per-statement overhead dominated one-row inserts.
            let rowsPerStatement = 500
            for start in stride(from: 0, to: batch.rows.count, by: rowsPerStatement) {
                let rows = batch.rows[start..<min(start + rowsPerStatement, batch.rows.count)]
                let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO batch_row (batch_key, row_number, applicant_id, probability, decision, score, state, status)
                    VALUES \(placeholders)
                    """)
                var values: [(any DatabaseValueConvertible)?] = []
                values.reserveCapacity(rows.count * 8)
                for row in rows {
                    values += [key, row.rowNumber, row.applicantID, row.probability, row.decision, row.score, row.state, row.status]
                }
                statement.setUncheckedArguments(StatementArguments(values))
                try statement.execute()
            }
            try db.execute(
                sql: "INSERT INTO batch_file (batch_key, gzip, byte_count) VALUES (?, ?, ?)",
                arguments: [key, batch.gzipFile, batch.fileByteCount])
            // The audit records in the same transaction: no decision without its record.
            try audit.insert(db)
        }
    }

    public func summary(id: String) async throws -> BatchSummary? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM batch WHERE id = ?", arguments: [id]).map(Self.summary)
        }
    }

    /// The most recent batches, newest first.
    public func recent(limit: Int = 100) async throws -> [BatchSummary] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batch ORDER BY created_at DESC LIMIT ?", arguments: [limit]).map(Self.summary)
        }
    }

    /// One page of a batch's rows and how many rows match the query's filters.
    public func rows(batch id: String, query: RowQuery) async throws -> (rows: [StoredRow], matching: Int) {
        var conditions = ["batch_key = ?"]
        var arguments: StatementArguments = []
        if let decision = query.decision {
            conditions.append("decision = ?")
            _ = arguments.append(contentsOf: [decision])
        }
        if let state = query.state {
            conditions.append("state = ?")
            _ = arguments.append(contentsOf: [state])
        }
        if let search = query.search {
            conditions.append("applicant_id LIKE ? ESCAPE '\\'")
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            _ = arguments.append(contentsOf: [escaped + "%"])
        }
        let filter = conditions.joined(separator: " AND ")
        // The score falls as the probability rises: sort by the indexed probability, reversed.
        let (column, descending) = query.sort == .score ? ("probability", !query.descending) : (query.sort.column, query.descending)
        let direction = descending ? "DESC" : "ASC"
        let order = query.sort == .row ? "row_number \(direction)" : "\(column) \(direction), row_number \(direction)"
        let filterArguments = arguments
        let pageArguments = arguments + [RowQuery.pageSize, (query.page - 1) * RowQuery.pageSize]
        return try await database.writer.read { db in
            guard let key = try Self.key(db, id) else { return ([], 0) }
            let filterArguments: StatementArguments = [key] + filterArguments
            let pageArguments: StatementArguments = [key] + pageArguments
            let matching = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch_row WHERE \(filter)", arguments: filterArguments) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM batch_row WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?", arguments: pageArguments
            ).map(Self.storedRow)
            return (rows, matching)
        }
    }

    /// Every row of a batch in file order, and the stored file, for the results CSV.
    public func export(batch id: String) async throws -> (gzip: Data, byteCount: Int, rows: [StoredRow])? {
        try await database.writer.read { db in
            guard let key = try Self.key(db, id),
                  let file = try Row.fetchOne(db, sql: "SELECT gzip, byte_count FROM batch_file WHERE batch_key = ?", arguments: [key]) else {
                return nil
            }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM batch_row WHERE batch_key = ? ORDER BY row_number", arguments: [key]).map(Self.storedRow)
            return (file["gzip"], file["byte_count"], rows)
        }
    }

    /// Deletes a batch with its rows and file; returns whether it existed.
    @discardableResult
    public func delete(id: String) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM batch WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Deletes batches created before `date` (the retention rule); returns how many.
    @discardableResult
    public func deleteCreated(before date: Date) async throws -> Int {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM batch WHERE created_at < ?", arguments: [date])
            return db.changesCount
        }
    }

    static func key(_ db: Database, _ id: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT key FROM batch WHERE id = ?", arguments: [id])
    }

    private static func summary(_ row: Row) -> BatchSummary {
        let histogram: String = row["histogram"]
        let header: String = row["header"]
        return BatchSummary(
            id: row["id"], modelName: row["model_name"], modelVersion: row["model_version"], fileName: row["file_name"],
            createdAt: row["created_at"], rowCount: row["row_count"], validCount: row["valid_count"],
            warningCount: row["warning_count"], approveCount: row["approve_count"], reviewCount: row["review_count"],
            declineCount: row["decline_count"], meanProbability: row["mean_probability"],
            histogram: (try? JSONDecoder().decode([Int].self, from: Data(histogram.utf8))) ?? [],
            header: (try? JSONDecoder().decode([String].self, from: Data(header.utf8))) ?? [],
            idColumn: row["id_column"],
            drift: (row["drift"] as String?).flatMap { try? JSONDecoder().decode(DriftReport.self, from: Data($0.utf8)) })
    }

    static func storedRow(_ row: Row) -> StoredRow {
        StoredRow(
            rowNumber: row["row_number"], applicantID: row["applicant_id"], probability: row["probability"],
            decision: row["decision"], score: row["score"], state: row["state"], status: row["status"])
    }
}
