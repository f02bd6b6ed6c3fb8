import Foundation
import GRDB

/// The audit log in the application's database: appended to, read in order, and purged
/// after `AUDIT_RETENTION_DAYS`.
public struct AuditStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Appends records in one transaction.
    public func append(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await database.writer.write { db in try Self.insert(records, db) }
    }

    /// Inserts records inside the caller's transaction: a batch's are written with the batch,
    /// so there is never a decision without its record, nor a record without its decision.
    static func insert(_ records: some Collection<AuditRecord>, _ db: Database) throws {
        // One prepared statement run per record: as fast here as 400-row statements (API
        // with audit 11.2k vs 11.0k req/s), and simpler. SQLite's own insert is the cost.
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit_record (at, request_id, channel, row_number, applicant_id, model_name, model_version, model_sha256,
              probability, decision, score, reason_codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for r in records {
            statement.setUncheckedArguments([
                r.at, r.requestID, r.channel.rawValue, r.rowNumber, r.applicantID, r.modelName, r.modelVersion, r.modelSha256,
                r.probability, r.decision, r.score, r.reasonCodes,
            ])
            try statement.execute()
        }
    }

    /// What an export selects.
    public struct Filter: Sendable {
        public var since: Date?
        public var until: Date?
        public var model: String?
        public var version: String?
        public var requestID: String?

        public init(since: Date? = nil, until: Date? = nil, model: String? = nil, version: String? = nil, requestID: String? = nil) {
            self.since = since
            self.until = until
            self.model = model
            self.version = version
            self.requestID = requestID
        }
    }

    /// Up to `limit` API, OIP and form records matching `filter` after record `afterID`, in order.
    public func page(_ filter: Filter, after afterID: Int64, limit: Int) async throws -> [AuditRecord] {
        try await database.writer.read { db in
            var request = AuditRecord.filter(Column("id") > afterID)
            if let since = filter.since { request = request.filter(Column("at") >= since) }
            if let until = filter.until { request = request.filter(Column("at") < until) }
            if let model = filter.model { request = request.filter(Column("model_name") == model) }
            if let version = filter.version { request = request.filter(Column("model_version") == version) }
            if let id = filter.requestID { request = request.filter(Column("request_id") == id) }
            return try request.order(Column("id")).limit(limit).fetchAll(db)
        }
    }

    /// The next upload's record set matching `filter` after set `afterID`, or nil.
    func nextBatch(_ filter: Filter, after afterID: Int64) async throws -> AuditBatch? {
        try await database.writer.read { db in
            var conditions = ["id > ?"]
            var arguments: StatementArguments = [afterID]
            if let since = filter.since { conditions.append("at >= ?"); _ = arguments.append(contentsOf: [since]) }
            if let until = filter.until { conditions.append("at < ?"); _ = arguments.append(contentsOf: [until]) }
            if let model = filter.model { conditions.append("model_name = ?"); _ = arguments.append(contentsOf: [model]) }
            if let version = filter.version { conditions.append("model_version = ?"); _ = arguments.append(contentsOf: [version]) }
            if let id = filter.requestID { conditions.append("batch_id = ?"); _ = arguments.append(contentsOf: [id]) }
            return try Row.fetchOne(db, sql: "SELECT * FROM audit_batch WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT 1", arguments: arguments)
                .map(AuditBatch.init(row:))
        }
    }

    /// Every record matching `filter`, oldest first, handed to `write` a page at a time: the
    /// API's records and the uploads' record sets merged by time, so the log never has to fit
    /// in memory (one upload's set at most).
    public func export(_ filter: Filter, pageSize: Int = 2_000, write: ([AuditRecord]) async throws -> Void) async throws {
        var single: [AuditRecord] = []
        var singleIndex = 0
        var singleAfter: Int64 = 0
        var singleDone = false
        var batch: [AuditRecord] = []
        var batchIndex = 0
        var batchAfter: Int64 = 0
        var batchDone = false
        var out: [AuditRecord] = []
        out.reserveCapacity(pageSize)
        while true {
            if singleIndex == single.count, !singleDone {
                single = try await page(filter, after: singleAfter, limit: pageSize)
                singleIndex = 0
                if let last = single.last?.id { singleAfter = last } else { singleDone = true }
            }
            if batchIndex == batch.count, !batchDone {
                if let next = try await nextBatch(filter, after: batchAfter) {
                    batchAfter = next.id ?? batchAfter
                    batch = try next.expanded()
                } else {
                    batch = []
                    batchDone = true
                }
                batchIndex = 0
                if batch.isEmpty, !batchDone { continue }
            }
            let haveSingle = singleIndex < single.count, haveBatch = batchIndex < batch.count
            guard haveSingle || haveBatch else { break }
            if haveBatch, !haveSingle || batch[batchIndex].at <= single[singleIndex].at {
                out.append(batch[batchIndex])
                batchIndex += 1
            } else {
                out.append(single[singleIndex])
                singleIndex += 1
            }
            if out.count >= pageSize {
                try await write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try await write(out) }
    }

    /// Stores the reason codes of an upload's records.
    public func setReasonCodes(batch id: String, _ codes: [(row: Int, codes: String)]) async throws {
        let encoded = try AuditBatch.encodeReasonCodes(codes)
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE audit_batch SET reason_codes = ? WHERE batch_id = ?", arguments: [encoded, id])
        }
    }

    /// Batches still stored whose audit records have no reason codes yet.
    public func batchesAwaitingReasonCodes() async throws -> [String] {
        try await database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT a.batch_id FROM audit_batch a JOIN batch b ON b.id = a.batch_id
                WHERE a.reason_codes IS NULL AND a.record_count > 0 ORDER BY a.id
                """)
        }
    }

    /// Deletes records older than `date`; returns how many applicants' records went.
    @discardableResult
    public func deleteOlder(than date: Date) async throws -> Int {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM audit_record WHERE at < ?", arguments: [date])
            var count = db.changesCount
            count += try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(record_count), 0) FROM audit_batch WHERE at < ?", arguments: [date]) ?? 0
            try db.execute(sql: "DELETE FROM audit_batch WHERE at < ?", arguments: [date])
            return count
        }
    }
}
