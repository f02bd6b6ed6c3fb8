import Foundation
import GRDB

/// The results CSV with reasons, kept gzip-compressed beside the batch (like the uploaded
/// file) so that it survives restarts and goes when the batch goes.
extension BatchStore {
    /// What the batch page says about a stored reasons file, without reading the file.
    public struct ReasonsFileInfo: Sendable, Equatable {
        public var byteCount: Int
        public var reasonCount: Int
        public var createdAt: Date
    }

    public func reasonsFileInfo(batch id: String) async throws -> ReasonsFileInfo? {
        try await database.writer.read { db in
            guard let key = try Self.key(db, id),
                  let row = try Row.fetchOne(
                    db, sql: "SELECT byte_count, reason_count, created_at FROM batch_reasons_file WHERE batch_key = ?", arguments: [key])
            else { return nil }
            return ReasonsFileInfo(byteCount: row["byte_count"], reasonCount: row["reason_count"], createdAt: row["created_at"])
        }
    }

    public func reasonsFile(batch id: String) async throws -> (gzip: Data, byteCount: Int)? {
        try await database.writer.read { db in
            guard let key = try Self.key(db, id),
                  let row = try Row.fetchOne(db, sql: "SELECT gzip, byte_count FROM batch_reasons_file WHERE batch_key = ?", arguments: [key])
            else { return nil }
            return (row["gzip"], row["byte_count"])
        }
    }

    /// Stores (or replaces) the batch's reasons file; false when the batch was deleted meanwhile.
    @discardableResult
    public func saveReasonsFile(batch id: String, gzip: Data, byteCount: Int, reasonCount: Int, now: Date = Date()) async throws -> Bool {
        try await database.writer.write { db in
            guard let key = try Self.key(db, id) else { return false }
            try db.execute(
                sql: "INSERT OR REPLACE INTO batch_reasons_file (batch_key, gzip, byte_count, reason_count, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [key, gzip, byteCount, reasonCount, now])
            return true
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
        try await database.writer.read { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return RecordCounts(
                batches: try count("batch"), rows: try count("batch_row"), rowFeatures: try count("batch_row_features"),
                files: try count("batch_file"), reasonsFiles: try count("batch_reasons_file"))
        }
    }
}
