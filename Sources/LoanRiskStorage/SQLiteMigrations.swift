import Foundation
import GRDB

/// The SQLite schema, by named migrations applied in order before the server starts
/// (`PostgresMigrations` is the same schema in PostgreSQL's types). A database already
/// migrated by a newer LoanRisk is refused rather than run on a schema this one does not know.
package enum SQLiteMigrations {
    package static func migrate(_ writer: any DatabaseWriter) throws {
        let known = Set(migrator.migrations)
        let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else { throw SQLError.newerSchema(applied: unknown) }
        try migrator.migrate(writer)
    }

    package static var migrator: DatabaseMigrator {
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
        migrator.registerMigration("v4: model registry, audit log") { db in
            // Immutable, content-addressed model versions: the files themselves, so any
            // instance on this database can load exactly the version that scored a decision.
            try db.create(table: "model_version") { t in
                t.column("name", .text).notNull()
                t.column("version", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("model_text", .blob).notNull()
                t.column("bundle_json", .blob)              // NULL for a bare model.txt
                t.column("golden_csv", .blob)               // rows the version must reproduce before promotion
                t.column("created_at", .datetime).notNull()
                t.column("created_by", .text).notNull()     // the token's label, "cli", or "start-up"
                t.primaryKey(["name", "version"])
            }
            // What serves: one row per model name and alias (champion, challenger).
            try db.create(table: "model_alias") { t in
                t.column("name", .text).notNull()
                t.column("alias", .text).notNull()
                t.column("version", .text).notNull()
                t.column("set_at", .datetime).notNull()
                t.column("set_by", .text).notNull()
                t.primaryKey(["name", "alias"])
                t.foreignKey(["name", "version"], references: "model_version", columns: ["name", "version"])
            }
            // Every move of an alias, in order: who, when, from → to (NULL: set for the first time, or cleared).
            try db.create(table: "model_alias_event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("alias", .text).notNull()
                t.column("from_version", .text)
                t.column("to_version", .text)
                t.column("actor", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("forced", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "model_alias_event_name", on: "model_alias_event", columns: ["name", "alias", "id"])
            // Bumped by every registry change, so each instance notices changes with one cheap read.
            try db.create(table: "registry_state") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("generation", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO registry_state (id, generation) VALUES (1, 0)")
            // One record per scored applicant, kept AUDIT_RETENTION_DAYS (independent of uploads):
            // no applicant fields, only the file's applicant id when it has one.
            try db.create(table: "audit_record") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("request_id", .text).notNull()     // the API request, or the batch id
                t.column("channel", .text).notNull()        // api | oip | batch | form
                t.column("row_number", .integer)            // a batch's row, an API request's applicant index
                t.column("applicant_id", .text)
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("model_sha256", .text).notNull()
                t.column("probability", .double)
                t.column("decision", .text)
                t.column("score", .integer)
                t.column("reason_codes", .text)             // the reasons' features, most important first, ';'-separated
            }
            try db.create(index: "audit_record_at", on: "audit_record", columns: ["at"])
            // Tracing one request.
            try db.create(index: "audit_record_request", on: "audit_record", columns: ["request_id", "row_number"])
            // An upload's audit records, all of them in one row written in the batch's transaction:
            // 50,000 rows of their own cost the upload 0.4 s (+25 %); one row of compressed records, 30 ms.
            // The export expands them; they outlive the batch (AUDIT_RETENTION_DAYS).
            try db.create(table: "audit_batch") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("batch_id", .text).notNull().unique()
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("model_sha256", .text).notNull()
                t.column("record_count", .integer).notNull()
                t.column("records", .blob).notNull()        // gzip CSV: row_number, applicant_id, probability, decision, score
                t.column("reason_codes", .blob)             // gzip CSV: row_number, reason_codes; NULL until computed
            }
            // Requests and uploads scored by a challenger beside the champion (shadow scoring).
            try db.create(table: "shadow_pair") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("name", .text).notNull()
                t.column("champion_version", .text).notNull()
                t.column("challenger_version", .text).notNull()
                t.column("channel", .text).notNull()
                t.column("request_id", .text).notNull()
                t.column("row_number", .integer).notNull()
                t.column("champion_probability", .double).notNull()
                t.column("challenger_probability", .double).notNull()
                t.column("champion_decision", .text).notNull()
                t.column("challenger_decision", .text).notNull()
            }
            try db.create(index: "shadow_pair_versions", on: "shadow_pair", columns: ["name", "champion_version", "challenger_version", "id"])
        }
        migrator.registerMigration("v5: batch drift") { db in
            // The upload's drift report (JSON `DriftReport`); NULL for models without a reference.
            try db.alter(table: "batch") { t in
                t.add(column: "drift", .text)
                t.add(column: "drift_band", .text)
            }
        }
        migrator.registerMigration("v6: traffic monitoring, drift events") { db in
            // The recent scored applicants of each model version as drift codes (two bytes an
            // input: its bin, no values), pruned to the window: what windows are tallied from.
            try db.create(table: "monitor_sample") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("codes", .blob).notNull()
            }
            try db.create(index: "monitor_sample_version", on: "monitor_sample", columns: ["model_name", "model_version", "id"])
            // Requests, applicants and decisions per model version, channel and minute.
            try db.create(table: "monitor_traffic") { t in
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("minute", .integer).notNull()
                t.column("channel", .text).notNull()
                t.column("requests", .integer).notNull()
                t.column("applicants", .integer).notNull()
                t.column("approve", .integer).notNull()
                t.column("review", .integer).notNull()
                t.column("decline", .integer).notNull()
                t.primaryKey(["model_name", "model_version", "minute", "channel"])
            }
            // A window's PSI per input and for the score, now and then: the page's sparklines.
            try db.create(table: "monitor_snapshot") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("applicants", .integer).notNull()
                t.column("score_psi", .double)
                t.column("input_psi", .text).notNull()
                t.column("score_actual", .text)
            }
            try db.create(index: "monitor_snapshot_version", on: "monitor_snapshot", columns: ["model_name", "model_version", "at"])
            // Which measures of a version are in alarm (hysteresis survives a restart).
            try db.create(table: "monitor_alarm") { t in
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("raised", .text).notNull()
                t.primaryKey(["model_name", "model_version"])
            }
            try db.create(table: "drift_event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("input", .text).notNull()
                t.column("psi", .double).notNull()
                t.column("band", .text).notNull()
                t.column("window_applicants", .integer).notNull()
                t.column("window_from", .datetime).notNull()
                t.column("window_to", .datetime).notNull()
            }
            try db.create(index: "drift_event_at", on: "drift_event", columns: ["at"])
            try db.create(table: "webhook_delivery") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("event_id", .integer).notNull().references("drift_event", onDelete: .cascade)
                t.column("attempt", .integer).notNull()
                t.column("at", .datetime).notNull()
                t.column("status", .integer)
                t.column("error", .text)
                t.column("delivered", .boolean).notNull()
            }
            try db.create(index: "webhook_delivery_event", on: "webhook_delivery", columns: ["event_id", "attempt"])
        }
        migrator.registerMigration("v7: reasons jobs shared by instances") { db in
            // Where a batch's reasons file job stands, so that every instance on the database
            // can tell a job another one runs (and how far it is) from one never started.
            try db.create(table: "batch_reasons_job") { t in
                t.primaryKey("batch_key", .integer).references("batch", column: "key", onDelete: .cascade)
                t.column("state", .text).notNull()          // queued | running | failed
                t.column("done", .integer).notNull()
                t.column("total", .integer).notNull()
                t.column("message", .text)
                t.column("updated_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v8: the decimal mark a batch was read with") { db in
            try db.alter(table: "batch") { t in
                t.add(column: "decimal_mark", .text).notNull().defaults(to: "point")
            }
        }
        migrator.registerMigration("v9: analysts' decisions on review cases") { db in
            try db.create(table: "batch_review") { t in
                t.column("batch_key", .integer).notNull().references("batch", column: "key", onDelete: .cascade)
                t.column("row_number", .integer).notNull()
                t.column("decision", .text).notNull()       // approve | decline
                t.column("note", .text).notNull()
                t.column("decided_at", .datetime).notNull()
                t.primaryKey(["batch_key", "row_number"])
            }
        }
        migrator.registerMigration("v10: each row's uploaded cells") { db in
            try db.create(table: "batch_row_cells", options: .withoutRowID) { t in
                t.column("batch_key", .integer).notNull().references("batch", column: "key", onDelete: .cascade)
                t.column("row_number", .integer).notNull()
                t.column("cells", .text).notNull()          // JSON array of the row's cells, in the header's order
                t.primaryKey(["batch_key", "row_number"])
            }
        }
        migrator.registerMigration("v11: the applicant form's decisions") { db in
            // One applicant decided through the form, kept as long as uploads are
            // (`RETENTION_DAYS`) so its page can be shown again without scoring it again.
            try db.create(table: "applicant_decision") { t in
                t.primaryKey("id", .text)
                t.column("created_at", .datetime).notNull()
                t.column("request_id", .text).notNull()     // its audit record's request_id
                t.column("model_name", .text).notNull()
                t.column("model_version", .text).notNull()
                t.column("cells", .text).notNull()          // JSON object: the values entered, by column
                t.column("probability", .double).notNull()
                t.column("decision", .text).notNull()
                t.column("score", .integer)
            }
            try db.create(index: "applicant_decision_created_at", on: "applicant_decision", columns: ["created_at"])
        }
        return migrator
    }

}
