import Foundation
import LoanRiskStorage

/// The audit log in the application's database: appended to, read in order, and purged
/// after `AUDIT_RETENTION_DAYS`.
public struct AuditStore: Sendable {
    package let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Appends records in one transaction.
    public func append(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        let values = records.flatMap(\.insertValues)
        try await database.write { db in try await db.insert(into: AuditRecord.table, columns: AuditRecord.insertColumns, values: values) }
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

        /// The WHERE clause selecting this filter's records after `afterID`.
        package func conditions(after afterID: Int64, requestColumn: String) -> (String, [any SQLBindable]) {
            var conditions = ["id > ?"]
            var arguments: [any SQLBindable] = [afterID]
            if let since { conditions.append("at >= ?"); arguments.append(since) }
            if let until { conditions.append("at < ?"); arguments.append(until) }
            if let model { conditions.append("model_name = ?"); arguments.append(model) }
            if let version { conditions.append("model_version = ?"); arguments.append(version) }
            if let requestID { conditions.append("\(requestColumn) = ?"); arguments.append(requestID) }
            return (conditions.joined(separator: " AND "), arguments)
        }
    }

    /// Up to `limit` API, OIP and form records matching `filter` after record `afterID`, in order.
    public func page(_ filter: Filter, after afterID: Int64, limit: Int) async throws -> [AuditRecord] {
        let (conditions, arguments) = filter.conditions(after: afterID, requestColumn: "request_id")
        return try await database.read { db in
            try await db.query("SELECT * FROM audit_record WHERE \(conditions) ORDER BY id LIMIT ?", arguments + [limit])
                .map { try $0.decode(AuditRecord.self) }
        }
    }

    /// The next upload's record set matching `filter` after set `afterID`, or nil.
    package func nextBatch(_ filter: Filter, after afterID: Int64) async throws -> AuditBatch? {
        let (conditions, arguments) = filter.conditions(after: afterID, requestColumn: "batch_id")
        return try await database.read { db in
            try await db.queryOne("SELECT * FROM audit_batch WHERE \(conditions) ORDER BY id LIMIT 1", arguments).map(AuditBatch.init(row:))
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
        try await database.write { db in
            try await db.execute("UPDATE audit_batch SET reason_codes = ? WHERE batch_id = ?", [encoded, id])
        }
    }

    /// Batches still stored whose audit records have no reason codes yet.
    public func batchesAwaitingReasonCodes() async throws -> [String] {
        try await database.read { db in
            try await db.query("""
                SELECT a.batch_id FROM audit_batch a JOIN batch b ON b.id = a.batch_id
                WHERE a.reason_codes IS NULL AND a.record_count > 0 ORDER BY a.id
                """).map { try $0.get("batch_id") }
        }
    }

    /// Deletes records older than `date`; returns how many applicants' records went.
    @discardableResult
    public func deleteOlder(than date: Date) async throws -> Int {
        try await database.write { db in
            var count = try await db.query("DELETE FROM audit_record WHERE at < ? RETURNING id", [date]).count
            count += try await db.query("DELETE FROM audit_batch WHERE at < ? RETURNING record_count", [date])
                .reduce(0) { $0 + (try $1.get("record_count") as Int) }
            return count
        }
    }
}
