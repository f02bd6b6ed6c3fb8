@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Scoring
import Testing

/// Erasure by applicant id and the access export, on the engine the test run uses (SQLite,
/// or PostgreSQL with `LOANRISK_TEST_DATABASE_URL`): the applicant leaves every stored batch,
/// table and file, the other applicants stay exactly as they were, and audit records stay,
/// reported with their legal basis and expiry.
@Suite(.sharingTheCores) struct ErasureTests {
    /// What one batch holds for the applicants that are not erased: compared before and after.
    struct Others: Equatable {
        var rows: [StoredRow]
        var cells: [Int: String]
        /// Each row's features as bit patterns (NaN marks a missing value, and NaN ≠ NaN) and its warnings.
        var features: [Int: [UInt64]]
        var issues: [Int: [FieldIssue]]
        /// Each kept record's fields, by row number, as the stored upload reads.
        var records: [Int: [String]]
    }

    static func others(_ db: any SQLDatabase, batch id: String, except erased: String) async throws -> Others {
        let store = BatchStore(database: db)
        let export = try #require(try await store.export(batch: id))
        let rows = export.rows.filter { $0.applicantID != erased }
        let numbers = rows.map(\.rowNumber)
        let cells = try await db.read { db in
            var out: [Int: String] = [:]
            for row in try await db.query(
                "SELECT c.row_number, c.cells FROM batch_row_cells c JOIN batch b ON b.key = c.batch_key WHERE b.id = ?", [id]) {
                out[try row.get("row_number")] = try row.get("cells")
            }
            return out
        }.filter { numbers.contains($0.key) }
        let features = try await store.features(batch: id, rows: numbers)
        return Others(
            rows: rows, cells: cells, features: features.mapValues { $0.values.map(\.bitPattern) }, issues: features.mapValues(\.issues), records: try storedRecords(export.gzip, byteCount: export.byteCount).filter { numbers.contains($0.key) })
    }

    /// The stored upload's records by number (the Nth record after the header is row N).
    static func storedRecords(_ gzip: Data, byteCount: Int) throws -> [Int: [String]] {
        let plain = try Gzip.decompress(gzip, byteCount: byteCount)
        let reader = CSVReader(data: Data(plain.readableBytesView), options: .applicants)
        _ = try reader.readHeader()
        var out: [Int: [String]] = [:]
        var record = CSVRecord()
        var number = 0
        while try reader.read(into: &record) {
            number += 1
            out[number] = record.misfit?.blank == true ? [] : record.fields
        }
        return out
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    static func json(_ value: String) -> ByteBuffer { ByteBuffer(string: value) }

    static var jsonAdmin: HTTPFields {
        var headers = TestApp.adminHeaders
        headers[.contentType] = "application/json"
        return headers
    }

    @Test func erasureTakesTheApplicantOutOfEveryBatchAndKeepsTheAuditRecords() async throws {
        let files = try ReviewDecisionsTests.Files()
        let configuration = ReviewDecisionsTests.configuration()
        // The erased applicant is the middle row of A and the last of B.
        let (target, a1, a3, b1, b2) = (0, 1, 2, 3, 4)
        let erased = files.ids[target]
        try await TestApp.make(configuration).test(.router) { client in
            let db = try await TestApp.database(configuration)
            let store = BatchStore(database: db)
            let session = try await Session(client)
            let a = ReviewDecisionsTests.id(try UploadTests.batchLocation(
                try await session.upload(files.file([a1, target, a3]), fileName: "a.csv", model: "lending-club")))
            let b = ReviewDecisionsTests.id(try UploadTests.batchLocation(
                try await session.upload(files.file([b1, b2, target]), fileName: "b.csv", model: "lending-club")))
            for id in [a, b] { #expect(try await store.featuresState(batch: id, waitingUpTo: .seconds(30)) == .stored) }
            // A form decision with the applicant's id, and one without.
            var form = files.form(target)
            form["applicant_id"] = erased
            let formLocation = try await session.decide(form).location
            let otherForm = try await session.decide(files.form(a1)).location
            // What a challenger and an analyst leave: pairs for both rows and for an API request, a decision on A's row.
            let now = Date()
            func pair(_ request: String, _ row: Int, _ id: String?, channel: AuditRecord.Channel = .batch) -> ShadowPair {
                ShadowPair(at: now, name: "lending-club", championVersion: "x", challengerVersion: "y", channel: channel, requestID: request, rowNumber: row,
                           championProbability: 0.1, challengerProbability: 0.2, championDecision: "approve", challengerDecision: "review", applicantID: id)
            }
            let shadow = ShadowStore(database: db)
            try await shadow.append([pair(a, 2, nil), pair(b, 3, erased), pair(a, 1, files.ids[a1]), pair("api-request", 1, erased, channel: .api)])
            let reviews = ReviewStore(database: db)
            let summaryA = try #require(try await store.summary(id: a))
            try await reviews.record(
                ReviewDecision(channel: .batch, requestID: a, rowNumber: 2, applicantID: erased, referredAt: summaryA.createdAt, modelName: "lending-club",
                               modelVersion: summaryA.modelVersion, modelDecision: "review", probability: 0.1, score: 600, decision: "decline", note: "n", decidedAt: now),
                audit: AuditRecord(at: now, requestID: a, channel: .review, rowNumber: 2, applicantID: erased, modelName: "lending-club",
                                   modelVersion: summaryA.modelVersion, modelSha256: "s", probability: 0.1, decision: "decline", score: 600, reasonCodes: nil), team: summaryA.teamID)
            #expect(try await store.saveReasonsFile(batch: a, gzip: try Gzip.compress(ByteBuffer(string: "x")), byteCount: 1, reasonCount: 4))
            let beforeA = try await Self.others(db, batch: a, except: erased)
            let beforeB = try await Self.others(db, batch: b, except: erased)
            let summaryB = try #require(try await store.summary(id: b))

            // The access export first: everything stored about the applicant.
            let exported = try await client.execute(
                uri: "/admin/v1/applicant-exports", method: .post, headers: Self.jsonAdmin,
                body: Self.json(#"{"applicant_id": "\#(erased)"}"#))
            #expect(exported.status == .ok)
            let export = try Self.decoder().decode(ApplicantExport.self, from: Data(exported.body.readableBytesView))
            #expect(Set(export.rows.map(\.batchID)) == [a, b])
            #expect(export.rows.allSatisfy { $0.cells["applicant_id"] == erased && $0.cells["int_rate"] == files.fields[target][files.columns.firstIndex(of: "int_rate")!] })
            #expect(export.rows.allSatisfy { $0.probability == nil || $0.reasons != nil }, "scored rows come with their reasons")
            #expect(export.applicantDecisions.count == 1 && export.applicantDecisions.first?.id == ReviewDecisionsTests.id(formLocation))
            #expect(export.reviewDecisions.count == 1)
            #expect(export.shadowPairs.count == 2, "the pairs that copied the id")
            #expect(export.auditRecords.count >= 4 && export.auditRecords.allSatisfy { $0.applicantID == erased })

            // The erasure.
            let answer = try await client.execute(
                uri: "/admin/v1/erasures", method: .post, headers: Self.jsonAdmin,
                body: Self.json(#"{"applicant_id": "\#(erased)"}"#))
            #expect(answer.status == .ok, "\(String(buffer: answer.body).prefix(300))")
            let report = try Self.decoder().decode(ErasureReport.self, from: Data(answer.body.readableBytesView))
            #expect(report.erased.batches == 2 && report.erased.rows == 2 && report.erased.cells == 2)
            #expect(report.erased.featureRows == 2 && report.erased.uploadRecords == 2 && report.erased.reasonsFiles == 1)
            #expect(report.erased.shadowPairs == 3 && report.erased.applicantDecisions == 1 && report.erased.reviewDecisions == 1)
            #expect(Set(report.batches.map(\.batchID)) == [a, b])
            // Audit records are kept: counted, with Regulation B as the basis and their expiry.
            let audit = try #require(report.retained.first { $0.kind == "audit_records" })
            #expect(audit.count == export.auditRecords.count)
            #expect(audit.legalBasis.contains("12 CFR 1002.12(b)"))
            let latest = try #require(export.auditRecords.map(\.at).max())
            #expect(abs(try #require(audit.expires).timeIntervalSince(latest.addingTimeInterval(760 * 86_400))) < 2)
            let auditLog = try await client.execute(uri: "/admin/v1/audit?format=ndjson", method: .get, headers: TestApp.adminHeaders)
            let kept = String(buffer: auditLog.body).split(separator: "\n").filter { $0.contains("\"applicant_id\":\"\(erased)\"") }
            #expect(kept.count == audit.count, "the audit log still holds every record of the applicant")

            // Gone everywhere.
            for id in [a, b] {
                let rows = try #require(try await store.export(batch: id))
                #expect(!rows.rows.contains { $0.applicantID == erased })
                let plain = try Gzip.decompress(rows.gzip, byteCount: rows.byteCount)
                #expect(String(buffer: plain).range(of: erased) == nil, "the stored upload no longer holds the applicant")
                #expect(try await store.reasonsFileInfo(batch: id) == nil)
            }
            let featuresA = try await store.features(batch: a, rows: [2]), featuresB = try await store.features(batch: b, rows: [3])
            #expect(featuresA.isEmpty && featuresB.isEmpty)
            let cellsLeft = try await db.read { db in
                try await db.scalar(
                    "SELECT COUNT(*) FROM batch_row_cells c JOIN batch b ON b.key = c.batch_key WHERE (b.id = ? AND c.row_number = 2) OR (b.id = ? AND c.row_number = 3)",
                    [a, b], as: Int.self) ?? -1
            }
            #expect(cellsLeft == 0)
            let pairsLeft = try await db.read { db in
                try await db.query("SELECT applicant_id, request_id, row_number FROM shadow_pair").map { try $0.get("applicant_id", as: String?.self) }
            }
            #expect(pairsLeft == [files.ids[a1]])
            #expect(try await reviews.decision(channel: .batch, requestID: a, rowNumber: 2) == nil)
            #expect(try await session.get(formLocation).status == .notFound)
            #expect(try await session.get(otherForm).status == .ok, "another applicant's form decision stays")

            // Every other applicant exactly as before: rows, cells, features and their records in the stored upload.
            #expect(try await Self.others(db, batch: a, except: erased) == beforeA)
            #expect(try await Self.others(db, batch: b, except: erased) == beforeB)
            // A's erased record is an empty line, so the rows after it keep their numbers; B's was the last, cut out.
            let fileA = try #require(try await store.export(batch: a))
            let recordsA = try Self.storedRecords(fileA.gzip, byteCount: fileA.byteCount)
            #expect(recordsA.count == 3 && recordsA[2] == [])
            let fileB = try #require(try await store.export(batch: b))
            #expect(try Self.storedRecords(fileB.gzip, byteCount: fileB.byteCount).count == 2)
            // The counts the pages show follow.
            let afterB = try #require(try await store.summary(id: b))
            #expect(afterB.rowCount == summaryB.rowCount - 1 && afterB.rowCount == 2)
            #expect(afterB.approveCount + afterB.reviewCount + afterB.declineCount == afterB.validCount)
            #expect(afterB.histogram.reduce(0, +) == afterB.validCount)
            // The download pairs each row with its own record.
            let download = try await session.get("/batches/\(a)/results.csv")
            #expect(download.status == .ok)
            let reader = CSVReader(data: Data(download.body.readableBytesView))
            let header = try reader.readHeader()
            let idColumn = try #require(header.firstIndex(of: "applicant_id"))
            var record = CSVRecord()
            var ids: [String] = []
            while try reader.read(into: &record) { ids.append(record[idColumn]) }
            #expect(ids == [files.ids[a1], files.ids[a3]])
            #expect(try await session.get("/batches/\(a)/rows/2").status == .notFound)
            #expect(try await session.get("/batches/\(a)/rows/3").status == .ok)
            let first = String(buffer: try await session.get("/batches/\(a)/rows/1").body)
            #expect(first.contains("href=\"/batches/\(a)/rows/3\""), "the next row is the one after the erased one")
            #expect(try await session.get("/batches/\(a)/top-reasons?rows=1,3").status == .ok)

            // A reasons file made from the rows before the erasure (a job under way) is not stored.
            #expect(try await !store.saveReasonsFile(
                batch: a, gzip: try Gzip.compress(ByteBuffer(string: "x")), byteCount: 1, reasonCount: 4, rowCount: summaryA.rowCount))
            #expect(try await store.reasonsFileInfo(batch: a) == nil)

            // The path form does the same (nothing left: zero counts), and a blank id is refused.
            let again = try await client.execute(uri: "/admin/v1/applicants/\(erased)", method: .delete, headers: TestApp.adminHeaders)
            #expect(again.status == .ok)
            #expect(try Self.decoder().decode(ErasureReport.self, from: Data(again.body.readableBytesView)).erased.rows == 0)
            let blank = try await client.execute(
                uri: "/admin/v1/erasures", method: .post, headers: Self.jsonAdmin,
                body: Self.json(#"{"applicant_id": "  "}"#))
            #expect(blank.status == .badRequest)
        }
    }

    @Test func theAccessLogRecordsReadsDownloadsAndErasuresWithTheirCaller() async throws {
        let files = try ReviewDecisionsTests.Files()
        let configuration = ReviewDecisionsTests.configuration()
        let app = try await TestApp.make(configuration)
        // Pages as the signed-in admin `tester`, /admin/v1 with the admin token.
        try await app.test(.router) { client in
            let session = try await Session(client)
            let batch = ReviewDecisionsTests.id(try UploadTests.batchLocation(
                try await session.upload(files.file([0, 1]), fileName: "a.csv", model: "lending-club")))
            #expect(try await session.get("/batches/\(batch)").status == .ok)
            #expect(try await session.get("/batches/\(batch)/rows/1").status == .ok)
            #expect(try await session.get("/batches/\(batch)/results.csv").status == .ok)
            #expect(try await session.get("/batches/\(batch)/results.xlsx").status == .ok)
            let erased = try await client.execute(
                uri: "/admin/v1/erasures", method: .post, headers: Self.jsonAdmin, body: Self.json(#"{"applicant_id": "\#(files.ids[1])"}"#))
            #expect(erased.status == .ok)
            #expect(try await client.execute(uri: "/admin/v1/access-log", method: .get, headers: [.authorization: "Bearer wrong"]).status == .unauthorized)

            let ndjson = try await client.execute(uri: "/admin/v1/access-log?format=ndjson", method: .get, headers: TestApp.adminHeaders)
            #expect(ndjson.status == .ok && ndjson.headers[.contentType] == "application/x-ndjson")
            let events = try String(buffer: ndjson.body).split(separator: "\n").map { line in
                try Self.decoder().decode(AccessEvent.self, from: Data(line.utf8))
            }
            func has(_ action: AccessEvent.Action, _ kind: AccessEvent.ObjectKind, _ object: String?, caller: String) -> Bool {
                events.contains { $0.action == action && $0.objectKind == kind && $0.objectID == object && $0.caller == caller && $0.outcome == .ok }
            }
            let person = "account:\(TestApp.account.name)"
            #expect(has(.upload, .batch, batch, caller: person))
            #expect(has(.read, .batch, batch, caller: person))
            #expect(has(.read, .row, "\(batch)/1", caller: person))
            #expect(events.filter { $0.action == .download && $0.objectID == batch && $0.caller == person }.count == 2)
            #expect(has(.erase, .applicant, files.ids[1], caller: "admin-token:test"))
            #expect(has(.export, .accessLog, nil, caller: "admin-token:test"), "reading the log is itself recorded")
            #expect(events.allSatisfy { $0.requestID?.isEmpty == false && $0.id != nil })

            let csv = try await client.execute(uri: "/admin/v1/access-log?format=csv&action=erase", method: .get, headers: TestApp.adminHeaders)
            let reader = CSVReader(data: Data(csv.body.readableBytesView))
            #expect(try reader.readHeader() == AccessEvent.csvColumns)
            var record = CSVRecord()
            var rows: [[String]] = []
            while try reader.read(into: &record) { rows.append(record.fields) }
            #expect(rows.count == 1 && rows.first?[2] == "admin-token:test" && rows.first?[5] == files.ids[1])
            #expect(try await client.execute(uri: "/admin/v1/access-log?format=xml", method: .get, headers: TestApp.adminHeaders).status == .badRequest)

            // The page lists them and links the downloads.
            let page = try await session.get("/admin/access-log?action=erase")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("admin-token:test") && html.contains("/admin/access-log/export?action=erase&amp;format=csv"))
            let pageCSV = try await session.get("/admin/access-log/export?format=csv")
            #expect(pageCSV.status == .ok && String(buffer: pageCSV.body).hasPrefix("id,at,caller,action"))
        }
        // Nobody else reads it: no token, no session, or a session that is not an admin's.
        let analyst = try await TestApp.signIn(.init(name: "ana", role: .analyst, team: "Default"), configuration: configuration)
        // A second instance of the app on the same database: the first one's pool closed with its run.
        try await TestApp.make(configuration).test(.router, anonymous: true) { client in
            #expect(try await client.execute(uri: "/admin/v1/access-log", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/admin/access-log", method: .get).status != .ok)
            for uri in ["/admin/access-log", "/admin/access-log/export?format=csv", "/admin/applicants"] {
                let refused = try await client.execute(uri: uri, method: .get, headers: [.cookie: "\(SessionCookie.plainName)=\(analyst)"])
                #expect(refused.status == .forbidden, "\(uri)")
            }
        }
    }

    @Test func theAccessLogIsAppendOnlyAndShadowPairsExpire() async throws {
        let configuration = TestApp.configuration()
        let db = try await TestApp.database(configuration)
        let log = AccessLogStore(database: db)
        let old = Date().addingTimeInterval(-500 * 86_400)
        try await log.append([
            AccessEvent(at: old, caller: "account:ana", action: .read, objectKind: .batch, objectID: "b1", address: "127.0.0.1", requestID: "r1"),
            AccessEvent(caller: "account:ana", action: .download, objectKind: .batch, objectID: "b1", address: "127.0.0.1", requestID: "r2"),
        ])
        await #expect(throws: (any Error).self) {
            try await db.write { db in try await db.execute("UPDATE access_event SET caller = 'someone-else'") }
        }
        if db.dialect == .postgres {
            await #expect(throws: (any Error).self) {
                try await db.write { db in try await db.execute("DELETE FROM access_event") }
            }
        }
        let shadow = ShadowStore(database: db)
        try await shadow.append([
            ShadowPair(at: old, name: "m", championVersion: "1", challengerVersion: "2", channel: .api, requestID: "r", rowNumber: 1,
                       championProbability: 0.1, challengerProbability: 0.1, championDecision: "approve", challengerDecision: "approve"),
        ])
        var retention = RetentionService(
            store: BatchStore(database: db), applicants: ApplicantDecisionStore(database: db), retentionDays: 7, audit: AuditStore(database: db),
            auditRetentionDays: 760, reviews: ReviewStore(database: db), monitor: MonitorStore(database: db), logger: .init(label: "test"))
        retention.accessLog = log
        retention.accessRetentionDays = 400
        retention.shadow = shadow
        retention.shadowRetentionDays = 7
        await retention.purge()
        let left = try await log.page(.init(), after: 0, limit: 10)
        #expect(left.map(\.requestID) == ["r2"], "retention deleted the old event, and only it")
        #expect(try await db.read { db in try await db.scalar("SELECT COUNT(*) FROM shadow_pair", as: Int.self) } == 0)
    }
}
