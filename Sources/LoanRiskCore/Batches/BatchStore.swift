import Foundation
import LoanRiskStorage
import Scoring

/// Batches and their rows: written once in one transaction (nothing half-stored), read a
/// page at a time, deleted whole.
public struct BatchStore: Sendable {
    package let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// A batch to store: its summary, one row per applicant, what each scored row needs for
    /// its reasons later (written with the rows' cells by `insertDeferred` after the batch),
    /// and the uploaded file gzip-compressed.
    public struct NewBatch: Sendable {
        public var summary: BatchSummary
        public var rows: [StoredRow]
        public var features: [RowFeatures.Block] = []
        public var gzipFile: Data
        public var fileByteCount: Int
        /// The scoring version's sha256, for the rows' audit records.
        public var modelSha256: String
        /// Who uploaded it, for the rows' audit records.
        public var caller: String? = nil
    }

    package static let rowColumns = ["batch_key", "row_number", "applicant_id", "probability", "decision", "score", "state", "status"]

    /// What a read of result rows selects: their results, and the cells of the columns
    /// `query` shows (never a row's whole cells, which are as large as its line in the file).
    package static func rowSelection(_ query: RowQuery = RowQuery(), dialect: SQLDialect) -> String {
        let shown = query.columns.enumerated().map { n, column in dialect.jsonArrayElement(cellsLookup, column.index) + " AS shown_\(n)" }
        return (["row_number", "applicant_id", "probability", "decision", "score", "state", "status"] + shown).joined(separator: ", ")
    }

    /// A `batch_row`'s uploaded cells (NULL until written, a moment after the batch).
    package static let cellsLookup = "(SELECT c.cells FROM batch_row_cells c WHERE c.batch_key = batch_row.batch_key AND c.row_number = batch_row.row_number)"


    public func insert(_ batch: NewBatch) async throws {
        let s = batch.summary
        let audit = try AuditBatch(summary: s, rows: batch.rows, modelSha256: batch.modelSha256, caller: batch.caller)
        let histogram = String(decoding: try JSONEncoder().encode(s.histogram), as: UTF8.self)
        let header = String(decoding: try JSONEncoder().encode(s.header), as: UTF8.self)
        let drift = try s.drift.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let rows = batch.rows
        try await database.write { db in
            guard let key = try await db.scalar(
                """
                INSERT INTO batch (id, model_name, model_version, file_name, created_at, row_count, valid_count,
                  warning_count, approve_count, review_count, decline_count, mean_probability, histogram, header, id_column,
                  features_pending, drift, drift_band, decimal_mark, team_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING key
                """,
                [s.id, s.modelName, s.modelVersion, s.fileName, s.createdAt, s.rowCount, s.validCount,
                 s.warningCount, s.approveCount, s.reviewCount, s.declineCount, s.meanProbability,
                 histogram, header, s.idColumn, true, drift, s.drift?.band.rawValue, s.decimalMark.rawValue, s.teamID],
                as: Int64.self)
            else { throw SQLError.noSuchColumn("key") }
            var values: [SQLValue] = []
            values.reserveCapacity(rows.count * Self.rowColumns.count)
            for row in rows {
                values += [.integer(key), row.rowNumber.sqlValue, row.applicantID.sqlValue, row.probability.sqlValue,
                           row.decision.sqlValue, row.score.sqlValue, row.state.sqlValue, row.status.sqlValue]
            }
            try await db.insert(into: "batch_row", columns: Self.rowColumns, values: values)
            try await db.execute(
                "INSERT INTO batch_file (batch_key, gzip, byte_count) VALUES (?, ?, ?)", [key, batch.gzipFile, batch.fileByteCount])
            // The audit records in the same transaction: no decision without its record.
            try await audit.insert(db)
        }
    }

    public func summary(id: String) async throws -> BatchSummary? {
        try await database.read { db in
            try await db.queryOne("SELECT * FROM batch WHERE id = ?", [id]).map(Self.summary)
        }
    }

    /// The most recent batches of `team`, newest first.
    public func recent(team: String, limit: Int = 100) async throws -> [BatchSummary] {
        try await database.read { db in
            try await db.query("SELECT * FROM batch WHERE team_id = ? ORDER BY created_at DESC LIMIT ?", [team, limit]).map(Self.summary)
        }
    }

    /// One page of a batch's rows and how many rows match the query's filters.
    public func rows(batch id: String, query: RowQuery) async throws -> (rows: [StoredRow], matching: Int) {
        let (filter, arguments, order) = Self.clauses(query, dialect: database.dialect)
        return try await database.read { db in
            guard let key = try await Self.key(db, id) else { return ([], 0) }
            let matching = try await db.scalar("SELECT COUNT(*) FROM batch_row WHERE \(filter)", [key] + arguments, as: Int.self) ?? 0
            let rows = try await db.query(
                "SELECT \(Self.rowSelection(query, dialect: db.dialect)) FROM batch_row WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                [key] + arguments + [RowQuery.pageSize, (query.page - 1) * RowQuery.pageSize]
            ).map { try Self.storedRow($0, shown: query.columns.count) }
            return (rows, matching)
        }
    }

    /// Every row of a batch that `query` keeps, in its order (all pages; file order by
    /// default), and the stored file: for the results CSV and the files made from it.
    public func export(batch id: String, query: RowQuery = RowQuery()) async throws -> (gzip: Data, byteCount: Int, rows: [StoredRow])? {
        let (filter, arguments, order) = Self.clauses(query, dialect: database.dialect)
        return try await database.read { db in
            guard let key = try await Self.key(db, id),
                  let file = try await db.queryOne("SELECT gzip, byte_count FROM batch_file WHERE batch_key = ?", [key]) else {
                return nil
            }
            let rows = try await db.query(
                "SELECT \(Self.rowSelection(dialect: db.dialect)) FROM batch_row WHERE \(filter) ORDER BY \(order)", [key] + arguments
            ).map { try Self.storedRow($0) }
            return (try file.get("gzip"), try file.get("byte_count"), rows)
        }
    }

    /// The row numbers `query` keeps, in its order (all pages): to walk from a row to the
    /// ones before and after it in the view it was opened from.
    public func rowNumbers(batch id: String, query: RowQuery) async throws -> [Int] {
        let (filter, arguments, order) = Self.clauses(query, dialect: database.dialect)
        return try await database.read { db in
            guard let key = try await Self.key(db, id) else { return [] }
            return try await db.query("SELECT row_number FROM batch_row WHERE \(filter) ORDER BY \(order)", [key] + arguments).map { try $0.get("row_number") }
        }
    }

    /// The WHERE (after `batch_key = ?`) and ORDER BY of a query, with its arguments.
    package static func clauses(_ query: RowQuery, dialect: SQLDialect) -> (filter: String, arguments: [any SQLBindable], order: String) {
        var conditions = ["batch_key = ?"]
        var arguments: [any SQLBindable] = []
        if let decision = query.decision {
            conditions.append("decision = ?")
            arguments.append(decision)
        }
        if let state = query.state {
            conditions.append("state = ?")
            arguments.append(state)
        }
        if let search = query.search {
            // In the id and in every uploaded column on show.
            let searched = ["applicant_id"] + query.columns.map { dialect.jsonArrayElement(cellsLookup, $0.index) }
            conditions.append("(" + searched.map { "\($0) \(dialect.likeIgnoringCase) ? ESCAPE '\\'" }.joined(separator: " OR ") + ")")
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            arguments += Array(repeating: "%" + escaped + "%", count: searched.count)
        }
        if let low = query.minProbability {
            conditions.append("probability >= ?")
            arguments.append(low)
        }
        if let high = query.maxProbability {
            conditions.append("probability <= ?")
            arguments.append(high)
        }
        if let low = query.minScore {
            conditions.append("score >= ?")
            arguments.append(low)
        }
        if let high = query.maxScore {
            conditions.append("score <= ?")
            arguments.append(high)
        }
        // The score falls as the probability rises: sort by the indexed probability, reversed.
        let (column, descending) = query.sort == .score ? ("probability", !query.descending) : (query.sort.column, query.descending)
        let direction = descending ? "DESC" : "ASC"
        // NULLs (unscored rows) sort as SQLite sorts them, lowest; PostgreSQL is told so.
        let nulls = query.sort == .row || dialect == .sqlite ? "" : (descending ? " NULLS LAST" : " NULLS FIRST")
        let order = query.sort == .row ? "row_number \(direction)" : "\(column) \(direction)\(nulls), row_number \(direction)"
        return (conditions.joined(separator: " AND "), arguments, order)
    }

    /// Deletes a batch with its rows and file; returns whether it existed.
    @discardableResult
    public func delete(id: String) async throws -> Bool {
        try await database.write { db in
            try await !db.query("DELETE FROM batch WHERE id = ? RETURNING key", [id]).isEmpty
        }
    }

    /// Deletes batches created before `date` (the retention rule); returns how many.
    @discardableResult
    public func deleteCreated(before date: Date) async throws -> Int {
        try await database.write { db in
            try await db.query("DELETE FROM batch WHERE created_at < ? RETURNING key", [date]).count
        }
    }

    /// Clears the pending mark of feature writes cut short by a stop, for batches created
    /// before `date`: those batches have no features (their pages say so) rather than
    /// features forever "on the way". On a shared database another instance may be writing
    /// a recent batch's features, so only older ones are cleared.
    public func clearAbandonedFeatureWrites(before date: Date) async throws {
        try await database.write { db in
            try await db.execute("UPDATE batch SET features_pending = ? WHERE features_pending = ? AND created_at < ?", [false, true, date])
        }
    }

    package static func key(_ db: any SQLConnection, _ id: String) async throws -> Int64? {
        try await db.scalar("SELECT key FROM batch WHERE id = ?", [id])
    }

    private static func summary(_ row: SQLRow) throws -> BatchSummary {
        let histogram: String = try row.get("histogram")
        let header: String = try row.get("header")
        let drift: String? = try row.get("drift")
        var summary = BatchSummary(
            id: try row.get("id"), modelName: try row.get("model_name"), modelVersion: try row.get("model_version"),
            fileName: try row.get("file_name"), createdAt: try row.get("created_at"), rowCount: try row.get("row_count"),
            validCount: try row.get("valid_count"), warningCount: try row.get("warning_count"),
            approveCount: try row.get("approve_count"), reviewCount: try row.get("review_count"),
            declineCount: try row.get("decline_count"), meanProbability: try row.get("mean_probability"),
            histogram: (try? JSONDecoder().decode([Int].self, from: Data(histogram.utf8))) ?? [],
            header: (try? JSONDecoder().decode([String].self, from: Data(header.utf8))) ?? [],
            idColumn: try row.get("id_column"),
            drift: drift.flatMap { try? JSONDecoder().decode(DriftReport.self, from: Data($0.utf8)) },
            decimalMark: DecimalMark(rawValue: try row.get("decimal_mark")) ?? .point)
        summary.teamID = try row.get("team_id")
        return summary
    }

    /// A row read with `rowSelection`; `shown` is how many shown columns it selected.
    package static func storedRow(_ row: SQLRow, shown: Int = 0) throws -> StoredRow {
        var stored = StoredRow(
            rowNumber: try row.get("row_number"), applicantID: try row.get("applicant_id"), probability: try row.get("probability"),
            decision: try row.get("decision"), score: try row.get("score"), state: try row.get("state"), status: try row.get("status"))
        stored.shown = try (0..<shown).map { n in try row.get("shown_\(n)") as String? ?? "" }
        return stored
    }
}
