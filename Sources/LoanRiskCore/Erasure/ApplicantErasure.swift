import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LoanRiskStorage
import NIOCore
import Scoring

/// Erasure by applicant id (GDPR Art. 17) and the access export (Art. 15).
///
/// The applicant is matched on the id their files carry (`batch_row.applicant_id`, the file's
/// id column) and the id entered with a form decision. An erasure takes them out of every
/// stored batch — result rows, cells, features, the stored upload (rewritten without their
/// record), the reasons file (deleted: it is made again on request) and the batch's counts —
/// in one transaction per batch, then out of shadow pairs, the form's decisions and analysts'
/// review decisions. Audit records stay: Regulation B keeps a credit decision's records 25
/// months (12 CFR 1002.12(b)); the report says how many, on what basis, and when the audit
/// retention (`AUDIT_RETENTION_DAYS`) erases them.
package struct ApplicantErasure: Sendable {
    package let database: any SQLDatabase
    package let registry: ModelRegistry
    package let auditRetentionDays: Int
    package let accessRetentionDays: Int

    package init(database: any SQLDatabase, registry: ModelRegistry, auditRetentionDays: Int, accessRetentionDays: Int) {
        self.database = database
        self.registry = registry
        self.auditRetentionDays = auditRetentionDays
        self.accessRetentionDays = accessRetentionDays
    }

    /// Why an id is refused before anything is looked up.
    package struct InvalidID: Error, CustomStringConvertible {
        package let description: String
    }

    /// An applicant id as given: trimmed, not empty, at most 200 characters.
    package static func checked(_ id: String?) throws -> String {
        let trimmed = (id ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw InvalidID(description: "Give the applicant's id (applicant_id).") }
        guard trimmed.count <= 200 else { throw InvalidID(description: "An applicant id is at most 200 characters.") }
        return trimmed
    }

    // MARK: - Erasure

    package func erase(applicantID id: String, now: Date = Date()) async throws -> ErasureReport {
        var erased = ErasureReport.Erased()
        var batches: [ErasureReport.Batch] = []
        for (key, batchID) in try await storedBatches(holding: id) {
            guard let batch = try await erase(id, batchKey: key, batchID: batchID) else { continue }
            batches.append(batch)
            erased.batches += 1
            erased.rows += batch.rowNumbers.count
            erased.uploadRecords += batch.uploadRecords
            erased.featureRows += batch.featureRows
            erased.reasonsFiles += batch.reasonsFileDeleted ? 1 : 0
            erased.shadowPairs += batch.shadowPairs
            erased.reviewDecisions += batch.reviewDecisions
        }
        erased.cells = batches.reduce(0) { $0 + $1.rowNumbers.count }
        let forms = try await formDecisions(of: id)
        let idColumns = idColumnNames
        let (shadow, reviews, decisions) = try await database.write { db -> (Int, Int, Int) in
            // Pairs and decisions whose batch is gone, or that came from the API, by the id they copied.
            var shadow = try await db.query("DELETE FROM shadow_pair WHERE applicant_id = ? RETURNING id", [id]).count
            var reviews = try await db.query("DELETE FROM review_decision WHERE applicant_id = ? RETURNING id", [id]).count
            var decisions = 0
            for form in forms {
                // Read again inside the transaction: only a decision still naming the applicant goes.
                guard let cells: String = try await db.scalar("SELECT cells FROM applicant_decision WHERE id = ?", [form.id]),
                      Self.names(cells, id, idColumns: idColumns) else { continue }
                decisions += try await db.query("DELETE FROM applicant_decision WHERE id = ? RETURNING id", [form.id]).count
                reviews += try await db.query(
                    "DELETE FROM review_decision WHERE channel = 'form' AND request_id = ? RETURNING id", [form.id]).count
                shadow += try await db.query(
                    "DELETE FROM shadow_pair WHERE channel = 'form' AND request_id = ? RETURNING id", [form.requestID]).count
            }
            return (shadow, reviews, decisions)
        }
        erased.shadowPairs += shadow
        erased.reviewDecisions += reviews
        erased.applicantDecisions = decisions
        return ErasureReport(applicantID: id, erasedAt: now, erased: erased, batches: batches, retained: try await retained(id, now: now))
    }

    /// The stored batches holding a row of `id`, oldest first: every batch (a few days'
    /// uploads, `RETENTION_DAYS`) looked up through its `(batch_key, applicant_id)` index in one
    /// read, so the writes that follow are only for the batches the applicant is in.
    func storedBatches(holding id: String) async throws -> [(key: Int64, id: String)] {
        try await database.read { db in
            var found: [(key: Int64, id: String)] = []
            for row in try await db.query("SELECT key, id FROM batch ORDER BY key") {
                let key: Int64 = try row.get("key")
                if try await db.scalar("SELECT 1 FROM batch_row WHERE batch_key = ? AND applicant_id = ? LIMIT 1", [key, id], as: Int.self) != nil {
                    found.append((key, try row.get("id")))
                }
            }
            return found
        }
    }

    /// A stored upload rewritten without some rows, made before the transaction that stores it.
    private struct RewrittenUpload: Sendable {
        var rows: [Int]
        /// The stored file it was made from: the transaction stores it only if that is still the one stored.
        var original: Data
        var gzip: Data
        var byteCount: Int
        var erased: Int
    }

    /// `gzip` (the stored upload, `byteCount` inflated) without the records of `rows`, compressed again.
    private static func rewrite(_ gzip: Data, byteCount: Int, rows: [Int]) throws -> RewrittenUpload {
        let plain = try Gzip.decompress(gzip, byteCount: byteCount)
        let rewritten = try StoredUploadRewrite.erasing(rows: Set(rows), from: Array(plain.readableBytesView))
        return RewrittenUpload(
            rows: rows, original: gzip, gzip: try Gzip.compress(ByteBuffer(bytes: rewritten.bytes)), byteCount: rewritten.bytes.count,
            erased: rewritten.erased)
    }

    /// The batch's stored upload without the applicant's records, made on a Dispatch thread
    /// before the batch's transaction: on a 50,000-row file it takes seconds (debug build), which
    /// the transaction would otherwise hold the database's writer for — and with SQLite every
    /// upload and every API answer's audit record would wait for it.
    private func rewriteUpload(_ id: String, batchKey key: Int64) async throws -> RewrittenUpload? {
        let stored = try await database.read { db -> (rows: [Int], gzip: Data, byteCount: Int)? in
            let rows: [Int] = try await db.query(
                "SELECT row_number FROM batch_row WHERE batch_key = ? AND applicant_id = ? ORDER BY row_number", [key, id]
            ).map { try $0.get("row_number") }
            guard !rows.isEmpty, let file = try await db.queryOne("SELECT gzip, byte_count FROM batch_file WHERE batch_key = ?", [key]) else { return nil }
            return (rows, try file.get("gzip"), try file.get("byte_count"))
        }
        guard let stored else { return nil }
        return try await Detached.run { try Self.rewrite(stored.gzip, byteCount: stored.byteCount, rows: stored.rows) }
    }

    /// Takes the applicant out of one batch in one transaction; nil when they are not in it.
    private func erase(_ id: String, batchKey key: Int64, batchID: String) async throws -> ErasureReport.Batch? {
        let prepared = try await rewriteUpload(id, batchKey: key)
        return try await database.write { db -> ErasureReport.Batch? in
            let rows = try await db.query(
                "SELECT row_number, probability, decision, state FROM batch_row WHERE batch_key = ? AND applicant_id = ? ORDER BY row_number",
                [key, id])
            guard !rows.isEmpty else { return nil }
            let numbers: [Int] = try rows.map { try $0.get("row_number") }
            let listed = numbers.map { $0 as any SQLBindable }
            let inRows = db.placeholders(numbers.count)

            // The counts the summary shows, less the erased rows.
            var valid = 0, warnings = 0, approve = 0, review = 0, decline = 0
            var histogram: [Int] = []
            if let text: String = try await db.scalar("SELECT histogram FROM batch WHERE key = ?", [key]) {
                histogram = (try? JSONDecoder().decode([Int].self, from: Data(text.utf8))) ?? []
            }
            for row in rows {
                if try row.get("state", as: String.self) == "warning" { warnings += 1 }
                guard let p: Double = try row.get("probability") else { continue }
                valid += 1
                switch try row.get("decision", as: String?.self) {
                case "approve": approve += 1
                case "review": review += 1
                case "decline": decline += 1
                default: break
                }
                let bin = min(BatchSummary.histogramBins - 1, max(0, Int(p * Double(BatchSummary.histogramBins))))
                if bin < histogram.count, histogram[bin] > 0 { histogram[bin] -= 1 }
            }
            try await db.execute("DELETE FROM batch_row WHERE batch_key = ? AND applicant_id = ?", [key, id])
            try await db.execute("DELETE FROM batch_row_cells WHERE batch_key = ? AND row_number IN \(inRows)", [key] + listed)
            let mean: Double? = try await db.scalar("SELECT AVG(probability) FROM batch_row WHERE batch_key = ?", [key])
            try await db.execute(
                """
                UPDATE batch SET row_count = row_count - ?, valid_count = valid_count - ?, warning_count = warning_count - ?,
                  approve_count = approve_count - ?, review_count = review_count - ?, decline_count = decline_count - ?,
                  mean_probability = ?, histogram = ?
                WHERE key = ?
                """,
                [numbers.count, valid, warnings, approve, review, decline, mean,
                 String(decoding: try JSONEncoder().encode(histogram), as: UTF8.self), key])

            let featureRows = try await Self.eraseFeatures(db, batchKey: key, rows: Set(numbers))

            var uploadRecords = 0
            if let file = try await db.queryOne("SELECT gzip, byte_count FROM batch_file WHERE batch_key = ?", [key]) {
                let gzip: Data = try file.get("gzip")
                // Made before the transaction from this very file and these rows, or (another
                // erasure changed it meanwhile) made again here.
                let rewritten = try prepared.flatMap { $0.rows == numbers && $0.original == gzip ? $0 : nil }
                    ?? Self.rewrite(gzip, byteCount: try file.get("byte_count"), rows: numbers)
                uploadRecords = rewritten.erased
                try await db.execute("UPDATE batch_file SET gzip = ?, byte_count = ? WHERE batch_key = ?", [rewritten.gzip, rewritten.byteCount, key])
            }
            // The results with reasons hold the applicant's row: made again on request, without it.
            let reasonsFile = try await !db.query("DELETE FROM batch_reasons_file WHERE batch_key = ? RETURNING batch_key", [key]).isEmpty
            try await db.execute("DELETE FROM batch_reasons_job WHERE batch_key = ?", [key])
            let shadow = try await db.query(
                "DELETE FROM shadow_pair WHERE channel = 'batch' AND request_id = ? AND row_number IN \(inRows) RETURNING id", [batchID] + listed).count
            let reviews = try await db.query(
                "DELETE FROM review_decision WHERE channel = 'batch' AND request_id = ? AND row_number IN \(inRows) RETURNING id", [batchID] + listed).count
            return ErasureReport.Batch(
                batchID: batchID, rowNumbers: numbers, uploadRecords: uploadRecords, featureRows: featureRows, reasonsFileDeleted: reasonsFile,
                shadowPairs: shadow, reviewDecisions: reviews)
        }
    }

    /// Takes `rows` out of the batch's feature blocks: each block holding one is replaced by
    /// the runs of rows around it (a block is consecutive rows), the erased rows' bytes and
    /// warnings gone. Returns how many rows' features went.
    private static func eraseFeatures(_ db: any SQLConnection, batchKey key: Int64, rows: Set<Int>) async throws -> Int {
        var blocks: [Int: SQLRow] = [:]
        for row in rows {
            if let block = try await db.queryOne(
                "SELECT * FROM batch_row_features WHERE batch_key = ? AND first_row <= ? ORDER BY first_row DESC LIMIT 1", [key, row]) {
                let first: Int = try block.get("first_row"), count: Int = try block.get("row_count")
                if row < first + count { blocks[first] = block }
            }
        }
        var erased = 0
        for (first, block) in blocks {
            let count: Int = try block.get("row_count")
            let blob: Data = try block.get("features")
            let issuesJSON: String? = try block.get("issues")
            guard count > 0, blob.count % count == 0 else { continue }
            let width = blob.count / count
            let issues = issuesJSON.flatMap { try? JSONDecoder().decode([String: [FieldIssue]].self, from: Data($0.utf8)) } ?? [:]
            try await db.execute("DELETE FROM batch_row_features WHERE batch_key = ? AND first_row = ?", [key, first])
            var run: [Int] = []
            func flush() async throws {
                guard let start = run.first else { return }
                let bytes = blob.subdata(in: (start - first) * width..<(start - first + run.count) * width)
                let kept = run.compactMap { row in issues[String(row)].map { (row: row, issues: $0) } }
                let keptJSON: String? = kept.isEmpty ? nil : FieldIssue.json(byRow: kept)
                try await db.execute(
                    "INSERT INTO batch_row_features (batch_key, first_row, row_count, features, issues) VALUES (?, ?, ?, ?, ?)",
                    [key, start, run.count, bytes, keptJSON])
                run = []
            }
            for row in first..<(first + count) {
                if rows.contains(row) {
                    erased += 1
                    try await flush()
                } else {
                    run.append(row)
                }
            }
            try await flush()
        }
        return erased
    }

    /// The id columns of the models served: the form stores the id entered under it.
    private var idColumnNames: Set<String> {
        Set(registry.all.compactMap(\.schema.idColumn)).union(["applicant_id"])
    }

    /// Whether a form decision's cells (JSON) carry `id` under one of `idColumns`.
    private static func names(_ cells: String, _ id: String, idColumns: Set<String>) -> Bool {
        guard let values = try? JSONDecoder().decode([String: String].self, from: Data(cells.utf8)) else { return false }
        return idColumns.contains { values[$0]?.trimmingCharacters(in: .whitespaces) == id }
    }

    /// The form's stored decisions about `id` (a few days' worth: `RETENTION_DAYS`).
    func formDecisions(of id: String) async throws -> [ApplicantDecision] {
        let idColumns = idColumnNames
        let rows = try await database.read { db in
            try await db.query("SELECT id, cells, team_id FROM applicant_decision").map {
                (try $0.get("id", as: String.self), try $0.get("cells", as: String.self), try $0.get("team_id", as: String.self))
            }
        }
        let store = ApplicantDecisionStore(database: database)
        var out: [ApplicantDecision] = []
        // Every team's: an applicant's rights do not stop at a team.
        for (decisionID, cells, team) in rows where Self.names(cells, id, idColumns: idColumns) {
            if let decision = try await store.find(id: decisionID, team: team) { out.append(decision) }
        }
        return out
    }

    // MARK: - What is kept

    /// The audit records and access events about `id` that are kept, with why and until when.
    private func retained(_ id: String, now: Date) async throws -> [ErasureReport.Retained] {
        let audit = try await auditRecords(of: id)
        let latest = audit.map(\.at).max()
        let accessEvents = try await database.read { db in
            try await db.scalar("SELECT COUNT(*) FROM access_event WHERE object_kind = 'applicant' AND object_id = ?", [id], as: Int.self) ?? 0
        }
        return [
            ErasureReport.Retained(
                kind: "audit_records", count: audit.count, legalBasis: ErasureReport.auditLegalBasis,
                expires: latest.map { $0.addingTimeInterval(Double(auditRetentionDays) * 86_400) },
                erasedBy: "the audit retention, \(auditRetentionDays) days after each decision (AUDIT_RETENTION_DAYS)"),
            ErasureReport.Retained(
                kind: "access_events", count: accessEvents + 1, legalBasis: ErasureReport.accessLogLegalBasis,
                expires: now.addingTimeInterval(Double(accessRetentionDays) * 86_400),
                erasedBy: "the access log's retention, \(accessRetentionDays) days after each event (ACCESS_LOG_RETENTION_DAYS); this erasure's own event included"),
        ]
    }

    /// Every audit record naming `id`: the API's, the form's and reviews' records, and the
    /// uploads' record sets (each one read, but parsed only when its text holds the id).
    package func auditRecords(of id: String) async throws -> [AuditRecord] {
        var records = try await database.read { db in
            try await db.query("SELECT * FROM audit_record WHERE applicant_id = ? ORDER BY id", [id]).map { try $0.decode(AuditRecord.self) }
        }
        let needle = Array(id.utf8)
        var after: Int64 = 0
        while true {
            let from = after
            let page = try await database.read { db in
                try await db.query("SELECT * FROM audit_batch WHERE id > ? ORDER BY id LIMIT 20", [from]).map(AuditBatch.init(row:))
            }
            guard let last = page.last?.id else { break }
            after = last
            for set in page {
                let text = try Gzip.decompress(set.records)
                guard Self.contains(text, needle) else { continue }
                records += try set.expanded().filter { $0.applicantID == id }
            }
        }
        return records.sorted { $0.at < $1.at }
    }

    /// Whether `bytes` hold `needle` anywhere: C's `memchr` to each place its first byte is,
    /// then `memcmp` (a record set is megabytes, read for every erasure and export).
    private static func contains(_ bytes: ByteBuffer, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        return bytes.withUnsafeReadableBytes { haystack in
            needle.withUnsafeBytes { pattern in
                guard let base = haystack.baseAddress, let wanted = pattern.baseAddress else { return false }
                var start = 0
                while start + pattern.count <= haystack.count {
                    guard let hit = memchr(base + start, Int32(first), haystack.count - start - pattern.count + 1) else { return false }
                    if memcmp(hit, wanted, pattern.count) == 0 { return true }
                    start = base.distance(to: UnsafeRawPointer(hit)) + 1
                }
                return false
            }
        }
    }
}
