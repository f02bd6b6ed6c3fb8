import Foundation
import LoanRiskStorage

/// The results CSV with reasons, kept gzip-compressed beside the batch (like the uploaded
/// file) so that it survives restarts and goes when the batch goes; and where its job
/// stands, so that any instance on the database can tell.
extension BatchStore {
    /// What the batch page says about a stored reasons file, without reading the file.
    public struct ReasonsFileInfo: Sendable, Equatable {
        public var byteCount: Int
        public var reasonCount: Int
        public var createdAt: Date
    }

    public func reasonsFileInfo(batch id: String) async throws -> ReasonsFileInfo? {
        try await database.read { db in
            guard let key = try await Self.key(db, id),
                  let row = try await db.queryOne(
                    "SELECT byte_count, reason_count, created_at FROM batch_reasons_file WHERE batch_key = ?", [key])
            else { return nil }
            return ReasonsFileInfo(byteCount: try row.get("byte_count"), reasonCount: try row.get("reason_count"), createdAt: try row.get("created_at"))
        }
    }

    public func reasonsFile(batch id: String) async throws -> (gzip: Data, byteCount: Int)? {
        try await database.read { db in
            guard let key = try await Self.key(db, id),
                  let row = try await db.queryOne("SELECT gzip, byte_count FROM batch_reasons_file WHERE batch_key = ?", [key])
            else { return nil }
            return (try row.get("gzip"), try row.get("byte_count"))
        }
    }

    /// Stores (or replaces) the batch's reasons file and ends its job; false when the batch
    /// was deleted meanwhile, or (`rowCount`: the rows it was made from) an erasure took rows
    /// out of it meanwhile: the file would hold them again, so it is dropped and can be asked for anew.
    @discardableResult
    public func saveReasonsFile(batch id: String, gzip: Data, byteCount: Int, reasonCount: Int, rowCount: Int? = nil, now: Date = Date()) async throws -> Bool {
        try await database.write { db in
            guard let key = try await Self.key(db, id) else { return false }
            if let rowCount {
                // FOR UPDATE: an erasure of this batch under way commits first, and its count is read.
                let lock = db.dialect == .postgres ? " FOR UPDATE" : ""
                guard try await db.scalar("SELECT row_count FROM batch WHERE key = ?\(lock)", [key], as: Int.self) == rowCount else {
                    try await db.execute("DELETE FROM batch_reasons_job WHERE batch_key = ?", [key])
                    return false
                }
            }
            try await db.execute(
                """
                INSERT INTO batch_reasons_file (batch_key, gzip, byte_count, reason_count, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (batch_key) DO UPDATE SET gzip = excluded.gzip, byte_count = excluded.byte_count,
                  reason_count = excluded.reason_count, created_at = excluded.created_at
                """,
                [key, gzip, byteCount, reasonCount, now])
            try await db.execute("DELETE FROM batch_reasons_job WHERE batch_key = ?", [key])
            return true
        }
    }

    /// A reasons job as the database holds it (any instance's).
    public struct ReasonsJobRecord: Sendable, Equatable {
        public enum State: String, Sendable { case queued, running, failed }
        public var state: State
        public var done: Int
        public var total: Int
        public var message: String?
        /// When its instance last wrote it: a job not heard of for a while died with its instance.
        public var updatedAt: Date
    }

    /// Records where the batch's reasons job stands (nil: it ended without a file, e.g. stopped).
    public func setReasonsJob(batch id: String, _ job: ReasonsJobRecord?) async throws {
        try await database.write { db in
            guard let key = try await Self.key(db, id) else { return }
            guard let job else {
                try await db.execute("DELETE FROM batch_reasons_job WHERE batch_key = ?", [key])
                return
            }
            try await db.execute(
                """
                INSERT INTO batch_reasons_job (batch_key, state, done, total, message, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (batch_key) DO UPDATE SET state = excluded.state, done = excluded.done, total = excluded.total,
                  message = excluded.message, updated_at = excluded.updated_at
                """,
                [key, job.state.rawValue, job.done, job.total, job.message, job.updatedAt])
        }
    }

    /// Refreshes a job's record while it is under way; a job that has ended (its record
    /// deleted with the file, or failed) is left as it is.
    public func refreshReasonsJob(batch id: String, _ job: ReasonsJobRecord) async throws {
        try await database.write { db in
            guard let key = try await Self.key(db, id) else { return }
            try await db.execute(
                "UPDATE batch_reasons_job SET state = ?, done = ?, total = ?, updated_at = ? WHERE batch_key = ? AND state <> ?",
                [job.state.rawValue, job.done, job.total, job.updatedAt, key, ReasonsJobRecord.State.failed.rawValue])
        }
    }

    public func reasonsJob(batch id: String) async throws -> ReasonsJobRecord? {
        try await database.read { db in
            guard let key = try await Self.key(db, id),
                  let row = try await db.queryOne("SELECT * FROM batch_reasons_job WHERE batch_key = ?", [key]),
                  let state = ReasonsJobRecord.State(rawValue: try row.get("state"))
            else { return nil }
            return ReasonsJobRecord(
                state: state, done: try row.get("done"), total: try row.get("total"), message: try row.get("message"),
                updatedAt: try row.get("updated_at"))
        }
    }

    /// How many records each table holds over all batches: for tests and operators checking
    /// that deletion and retention leave nothing behind.
    public struct RecordCounts: Sendable, Equatable {
        public var batches: Int
        public var rows: Int
        public var rowFeatures: Int
        public var files: Int
        public var reasonsFiles: Int

        public init(batches: Int, rows: Int, rowFeatures: Int, files: Int, reasonsFiles: Int) {
            self.batches = batches
            self.rows = rows
            self.rowFeatures = rowFeatures
            self.files = files
            self.reasonsFiles = reasonsFiles
        }
    }

    public func recordCounts() async throws -> RecordCounts {
        try await database.read { db in
            func count(_ table: String) async throws -> Int { try await db.scalar("SELECT COUNT(*) FROM \(table)") ?? 0 }
            return RecordCounts(
                batches: try await count("batch"), rows: try await count("batch_row"), rowFeatures: try await count("batch_row_features"),
                files: try await count("batch_file"), reasonsFiles: try await count("batch_reasons_file"))
        }
    }
}
