import Foundation
import GRDB

/// The application's SQLite database: one writer (a WAL-mode pool for files, a queue in
/// memory for tests), its schema set up by named migrations before the server starts.
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path` in WAL mode and migrates it.
    public static func open(path: String) throws -> AppDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // Batches are written in one transaction; normal sync is safe with WAL.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try AppDatabase(DatabasePool(path: path, configuration: configuration))
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> AppDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try AppDatabase(DatabaseQueue(configuration: configuration))
    }

    init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
        // A feature write still pending at start-up was cut short by a stop: those batches
        // have no features (their pages say so) rather than features forever "on the way".
        try writer.write { db in try db.execute(sql: "UPDATE batch SET features_pending = 0 WHERE features_pending = 1") }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: batches, rows, files") { db in
            // Rows refer to their batch by an integer key: the public id is a 16-letter string,
            // and repeating it in the key of every row and index entry made inserts slower.
            try db.create(table: "batch") { t in
                t.autoIncrementedPrimaryKey("key")
                t.column("id", .text).notNull().unique()
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("file_name", .text).notNull()
                t.column("created_at", .datetime).notNull().indexed()
                t.column("row_count", .integer).notNull()
                t.column("valid_count", .integer).notNull()
                t.column("warning_count", .integer).notNull()
                t.column("approve_count", .integer).notNull()
                t.column("review_count", .integer).notNull()
                t.column("decline_count", .integer).notNull()
                t.column("mean_probability", .double)
                t.column("histogram", .text).notNull()      // JSON: counts of 20 equal-width probability bins
                t.column("header", .text).notNull()         // JSON: the file's header
                t.column("id_column", .text)                // the schema's id column, when the file had it
            }
            try db.create(table: "batch_row", options: .withoutRowID) { t in
                t.column("batch_key", .integer).notNull().references("batch", column: "key", onDelete: .cascade)
                t.column("row_number", .integer).notNull()
                t.column("applicant_id", .text)
                t.column("probability", .double)
                t.column("decision", .text)
                t.column("score", .integer)
                t.column("state", .text).notNull()          // ok | warning | error
                t.column("status", .text).notNull()         // the full status text, as in the CSV
                t.primaryKey(["batch_key", "row_number"])
            }
            // One index per sort and filter the results page offers (row number is the key;
            // the score falls as the probability rises, so sorting by score uses that index).
            try db.create(index: "batch_row_probability", on: "batch_row", columns: ["batch_key", "probability", "row_number"])
            try db.create(index: "batch_row_applicant", on: "batch_row", columns: ["batch_key", "applicant_id", "row_number"])
            try db.create(index: "batch_row_decision", on: "batch_row", columns: ["batch_key", "decision", "probability", "row_number"])
            try db.create(index: "batch_row_state", on: "batch_row", columns: ["batch_key", "state", "row_number"])
            try db.create(table: "batch_file") { t in
                t.primaryKey("batch_key", .integer).references("batch", column: "key", onDelete: .cascade)
                t.column("gzip", .blob).notNull()           // the uploaded file, gzip-compressed
                t.column("byte_count", .integer).notNull()  // its uncompressed size
            }
        }
        migrator.registerMigration("v2: row features, reasons files") { db in
            // What reasons need, kept apart from `batch_row` so that the table the results page
            // sorts and pages stays narrow: blocks of consecutive rows (`RowFeatures.Block`).
            // Batches stored before this migration have none: their pages say so.
            try db.create(table: "batch_row_features", options: .withoutRowID) { t in
                t.column("batch_key", .integer).notNull().references("batch", column: "key", onDelete: .cascade)
                t.column("first_row", .integer).notNull()
                t.column("row_count", .integer).notNull()
                t.column("features", .blob).notNull()      // row_count × model features, little-endian doubles
                t.column("issues", .text)                  // JSON: warnings by row number; NULL when none
                t.primaryKey(["batch_key", "first_row"])
            }
            // The results CSV with reasons, made in the background on request (one per batch).
            try db.create(table: "batch_reasons_file") { t in
                t.primaryKey("batch_key", .integer).references("batch", column: "key", onDelete: .cascade)
                t.column("gzip", .blob).notNull()
                t.column("byte_count", .integer).notNull()  // uncompressed size
                t.column("reason_count", .integer).notNull()
                t.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3: features written after the batch") { db in
            // An upload's batch is committed (and its page shown) first; its row features follow
            // in a second transaction, so reasons cost the upload nothing. Set while they are due.
            try db.alter(table: "batch") { t in
                t.add(column: "features_pending", .boolean).notNull().defaults(to: false)
            }
        }
        return migrator
    }

    /// Whether the database accepts writes (for readiness checks).
    public func isWritable() async -> Bool {
        do {
            try await writer.write { db in try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS ready_probe(x); DROP TABLE ready_probe") }
            return true
        } catch {
            return false
        }
    }
}
