@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Scoring
import Testing

/// The review queue across batches, counts that move as cases are decided, and analysts'
/// decisions kept as long as the audit log — after their batch is deleted — on the engine the
/// test run uses (SQLite, or PostgreSQL with `LOANRISK_TEST_DATABASE_URL`).
@Suite(.sharingTheCores) struct ReviewDecisionsTests {
    /// Small lending-club files made from the sample's lines: which rows the policy refers
    /// for review and which it approves (as the library scores them), and each one's id.
    struct Files {
        let header: String
        let lines: [String]
        let review: [Int]
        let approve: [Int]
        let ids: [String]

        init() throws {
            let url = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")
            let text = try String(contentsOf: url, encoding: .utf8)
            let all = text.split(whereSeparator: \.isNewline).map(String.init)
            header = all[0]
            lines = Array(all.dropFirst())
            let reader = CSVReader(data: try Data(contentsOf: url))
            let columns = try reader.readHeader()
            var records: [CSVRecord] = []
            var record = CSVRecord()
            while try reader.read(into: &record) { records.append(record) }
            let bundle = try ModelBundle(directory: ModelVariants.lendingClub)
            let outcomes = BatchScorer(bundle: bundle).score(records: records[...], mapping: try ColumnMapping(header: columns, schema: bundle.schema))
            review = outcomes.indices.filter { outcomes[$0].decision == .review }
            approve = outcomes.indices.filter { outcomes[$0].decision == .approve }
            let id = try #require(columns.firstIndex(of: "applicant_id"))
            ids = records.map { $0.fields[id] }
            self.columns = columns
            fields = records.map(\.fields)
        }

        let columns: [String]
        let fields: [[String]]

        /// Row `row`'s values as the applicant form posts them (no id: the form has none).
        func form(_ row: Int) -> [String: String] {
            var values = ["model": "lending-club"]
            for (column, value) in zip(columns, fields[row]) where column != "applicant_id" { values[column] = value }
            return values
        }

        func file(_ rows: [Int]) -> Data { Data(([header] + rows.map { lines[$0] }).joined(separator: "\n").utf8 + [0x0A]) }
    }

    static func configuration() -> AppConfiguration {
        var configuration = TestApp.configuration()
        configuration.model = "lending-club"
        return configuration
    }

    static func id(_ location: String) -> String { String(location.split(separator: "/").last ?? "") }

    @Test func theQueueIsOldestFirstAndCountsMoveAsCasesAreDecided() async throws {
        let files = try Files()
        try #require(files.review.count >= 3 && !files.approve.isEmpty)
        let (r1, r2, r3, ok) = (files.review[0], files.review[1], files.review[2], files.approve[0])
        try await TestApp.make(Self.configuration()).test(.router) { client in
            let session = try await Session(client)
            // File A: review, approve, review; file B, uploaded after: review.
            let a = try UploadTests.batchLocation(try await session.upload(files.file([r1, ok, r2]), fileName: "a.csv", model: "lending-club"))
            let b = try UploadTests.batchLocation(try await session.upload(files.file([r3]), fileName: "b.csv", model: "lending-club"))

            var queue = String(buffer: try await session.get("/review").body)
            #expect(queue.contains("3 cases wait for an analyst&#39;s decision") || queue.contains("3 cases wait for an analyst's decision"))
            let order = [files.ids[r1], files.ids[r2], files.ids[r3]].map { queue.range(of: ">\($0)</a>")?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!, "oldest upload first, then file order")
            #expect(queue.contains("id=\"review-first\" href=\"\(a)/rows/1?queue=all\""))
            #expect(queue.contains("Between the cut-offs"))

            // A case opened from the queue says so, and deciding it opens the next case.
            let casePage = String(buffer: try await session.get("\(a)/rows/1?queue=all").body)
            #expect(casePage.contains("id=\"review-queue\">3 cases wait for a decision"))
            #expect(casePage.contains("action=\"\(a)/rows/1/review?queue=all\""))
            let first = try await session.postForm("\(a)/rows/1/review?queue=all", ["decision": "approve", "note": "Payslips seen"])
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "\(a)/rows/3?queue=all")

            // The batch's counts move: the decided case counts as approved after review.
            let batch = String(buffer: try await session.get(a).body)
            #expect(batch.contains("approve · 66.7 % · 1 after review"))
            #expect(batch.contains("awaiting review · 33.3 % · 1 of 2 decided"))
            var list = String(buffer: try await session.get("/batches").body)
            #expect(list.contains(">1 of 2 waiting</a>") && list.contains(">1 of 1 waiting</a>"))
            queue = String(buffer: try await session.get("/review").body)
            #expect(queue.contains("2 cases wait"))
            #expect(!queue.contains("href=\"\(a)/rows/1?queue=all\""))
            #expect(queue.contains("Payslips seen"), "decided lately")

            // One model's queue leads to that model's next case; the last decision leads back to the queue.
            let second = try await session.postForm("\(a)/rows/3/review?queue=lending-club", ["decision": "decline"])
            #expect(second.headers[.location] == "\(b)/rows/1?queue=lending-club")
            let third = try await session.postForm("\(b)/rows/1/review?queue=lending-club", ["decision": "approve"])
            #expect(third.headers[.location] == "/review?model=lending-club")
            queue = String(buffer: try await session.get("/review?model=lending-club").body)
            #expect(queue.contains("0 cases wait") && queue.contains("No case waits for a decision for this model"))
            list = String(buffer: try await session.get("/batches").body)
            #expect(list.contains("all 2 decided") && list.contains("all 1 decided"))
            let decided = String(buffer: try await session.get(a).body)
            #expect(decided.contains("1 after review") && decided.contains("decline · 33.3 % · 1 after review"))
            #expect(decided.contains("2 of 2 decided"))

            // The download keeps the policy's decision and adds the analyst's.
            let csv = String(buffer: try await session.get(a + "/results.csv").body)
            let reader = CSVReader(data: Data(csv.utf8))
            let header = try reader.readHeader()
            var rows: [[String]] = []
            var record = CSVRecord()
            while try reader.read(into: &record) { rows.append(record.fields) }
            let decision = try #require(header.firstIndex(of: "decision")), analyst = try #require(header.firstIndex(of: "analyst_decision"))
            #expect(rows.map { $0[decision] } == ["review", "approve", "review"])
            #expect(rows.map { $0[analyst] } == ["approve", "", "decline"])
        }
    }

    @Test func anAnalystsDecisionOutlivesItsBatchAndGoesWithTheAuditLog() async throws {
        let files = try Files()
        let row = try #require(files.review.first)
        let configuration = Self.configuration()
        try await TestApp.make(configuration).test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(files.file([row]), fileName: "one.csv", model: "lending-club"))
            let id = Self.id(location)
            let note = "Second income confirmed"
            #expect(try await session.postForm(location + "/rows/1/review", ["decision": "decline", "note": note]).status == .seeOther)

            let database = try await TestApp.database(configuration)
            let reviews = ReviewStore(database: database)
            let retention = RetentionService(
                store: BatchStore(database: database), applicants: ApplicantDecisionStore(database: database), retentionDays: 7,
                audit: AuditStore(database: database), auditRetentionDays: 760, reviews: reviews, monitor: MonitorStore(database: database),
                logger: Logger(label: "test"))
            let before = try #require(try await reviews.decisions(batch: id)[1])
            // Past the uploads' retention: the batch and its rows are gone, the decision is not.
            await retention.purge(now: Date().addingTimeInterval(8 * 86_400))
            #expect(try await BatchStore(database: database).summary(id: id) == nil)
            #expect(try await session.get(location).status == .notFound)
            let kept = try #require(try await reviews.decisions(batch: id)[1])
            #expect(kept == before)
            #expect(kept.decision == "decline" && kept.note == note && kept.applicantID == files.ids[row])
            #expect(kept.modelDecision == "review" && kept.modelName == "lending-club" && kept.probability != nil)
            // Readable where the audit trail is read, and on the queue's page.
            let audit = String(buffer: try await client.execute(uri: "/admin/v1/audit?format=ndjson&request_id=\(id)", method: .get, headers: TestApp.adminHeaders).body)
            #expect(audit.split(separator: "\n").contains { $0.contains("\"channel\":\"review\"") && $0.contains("\"decision\":\"decline\"") })
            let exported = String(buffer: try await client.execute(uri: "/admin/v1/reviews?model=lending-club", method: .get, headers: TestApp.adminHeaders).body)
            let lines = exported.split(separator: "\n")
            #expect(lines.count == 1)
            let line = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
            #expect(line["request_id"] as? String == id && line["applicant_id"] as? String == files.ids[row] && line["note"] as? String == note)
            #expect(line["decision"] as? String == "decline" && line["model_decision"] as? String == "review" && line["channel"] as? String == "batch")
            let queue = String(buffer: try await session.get("/review").body)
            #expect(queue.contains("\(files.ids[row]) <span class=\"hint\">(upload deleted)</span>"))
            #expect(queue.contains(note))
            // Past the audit log's retention it goes with the log.
            await retention.purge(now: Date().addingTimeInterval(761 * 86_400))
            #expect(try await reviews.decisions(batch: id).isEmpty)
            #expect(String(buffer: try await client.execute(uri: "/admin/v1/reviews", method: .get, headers: TestApp.adminHeaders).body).isEmpty)
            #expect(try await client.execute(uri: "/admin/v1/reviews?since=yesterday", method: .get, headers: TestApp.adminHeaders).status == .badRequest)
            await database.close()
        }
    }

    @Test func aFormDecisionReferredForReviewJoinsTheQueueAndTakesTheAnalystsDecision() async throws {
        let files = try Files()
        let row = try #require(files.review.first)
        try await TestApp.make(Self.configuration()).test(.router) { client in
            let session = try await Session(client)
            let (location, page) = try await session.decide(files.form(row))
            let id = Self.id(location)
            var shown = String(buffer: page.body)
            #expect(shown.contains("id=\"decision\">review<"))
            #expect(shown.contains("The policy referred this applicant for review"))
            #expect(!shown.contains("id=\"review-decided\""))
            let queue = String(buffer: try await session.get("/review").body)
            #expect(queue.contains("1 case waits"))
            #expect(queue.contains("href=\"/applicants/\(id)?queue=all\">form decision</a>"))
            let opened = String(buffer: try await session.get("/applicants/\(id)?queue=all").body)
            #expect(opened.contains("action=\"/applicants/\(id)/review?queue=all\""))
            #expect(try await session.postForm("/applicants/\(id)/review", ["decision": "maybe"]).status == .unprocessableContent)
            let decided = try await session.postForm("/applicants/\(id)/review?queue=all", ["decision": "decline", "note": "Thin file"])
            #expect(decided.headers[.location] == "/review", "the queue, now empty")
            shown = String(buffer: try await session.get(location).body)
            #expect(shown.contains("id=\"review-decided\">Decided: <span class=\"badge decline\">decline</span>"))
            #expect(shown.contains("Thin file"))
            #expect(String(buffer: try await session.get("/review").body).contains("0 cases wait"))
            let audit = String(buffer: try await client.execute(uri: "/admin/v1/audit?format=ndjson", method: .get, headers: TestApp.adminHeaders).body)
            #expect(audit.split(separator: "\n").contains { $0.contains("\"channel\":\"review\"") && $0.contains("\"decision\":\"decline\"") })
            // Only a referred applicant takes a decision.
            let approved = try await session.decide(files.form(try #require(files.approve.first)))
            #expect(try await session.postForm("\(approved.location)/review", ["decision": "decline"]).status == .conflict)
        }
    }

    @Test func v13CopiesTheDecisionsV9KeptWithTheBatch() async throws {
        let files = try Files()
        let row = try #require(files.review.first)
        let configuration = Self.configuration()
        try await TestApp.make(configuration).test(.router) { client in
            let session = try await Session(client)
            let id = Self.id(try UploadTests.batchLocation(try await session.upload(files.file([row]), fileName: "old.csv", model: "lending-club")))
            let database = try await TestApp.database(configuration)
            let decidedAt = Date(timeIntervalSince1970: 1_780_000_000)
            // v9's table as it was, holding one decision, then v13's copy and drop.
            try await database.write { db in
                let v9 = try #require(SchemaMigration.v9.steps.first)
                try await db.execute(try #require(db.dialect == .sqlite ? v9.sqlite : v9.postgres))
                let key = try #require(try await db.scalar("SELECT key FROM batch WHERE id = ?", [id], as: Int64.self))
                try await db.execute(
                    "INSERT INTO batch_review (batch_key, row_number, decision, note, decided_at) VALUES (?, ?, ?, ?, ?)",
                    [key, 1, "approve", "from v9", decidedAt])
                for step in SchemaMigration.v13.steps[3...4] { try await db.execute(try #require(db.dialect == .sqlite ? step.sqlite : step.postgres)) }
            }
            let copied = try #require(try await ReviewStore(database: database).decisions(batch: id)[1])
            let stored = try #require(try await BatchStore(database: database).rows(batch: id, query: RowQuery()).rows.first)
            #expect(copied.decision == "approve" && copied.note == "from v9" && copied.decidedAt == decidedAt)
            #expect(copied.applicantID == files.ids[row] && copied.modelDecision == "review" && copied.probability == stored.probability)
            #expect(copied.modelName == "lending-club" && copied.channel == .batch)
            #expect(try await database.read { db in try await db.query("SELECT 1 FROM review_decision").count } == 1)
            await database.close()
        }
    }
}
