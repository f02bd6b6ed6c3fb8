import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The audit log: every scored applicant leaves a record naming the exact model version and
/// its sha256, through every channel; exports filter and stream; retention is its own.
@Suite(.sharingTheCores) struct AuditTests {
    static let example = TestApp.root.appendingPathComponent("examples/lending-club-one.json")
    static var lendingClubSha: String {
        SHA256.hexDigest((try? Data(contentsOf: ModelVariants.lendingClub.appendingPathComponent("model.txt"))) ?? Data())
    }

    /// The records of one request, read back as NDJSON; waits until there are `count` (a
    /// record the database did not take in time is replayed from the journal a moment later).
    static func records(_ client: some TestClientProtocol, query: String, expecting count: Int) async throws -> [[String: JSONValue]] {
        try await Eventually.poll({
            let response = try await client.execute(uri: "/admin/v1/audit?format=ndjson&" + query, method: .get, headers: TestApp.adminHeaders)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            return try String(buffer: response.body).split(separator: "\n").map { line -> [String: JSONValue] in
                guard case .object(let object) = try JSONReader.parse(Array(line.utf8)) else { throw CancellationError() }
                return object
            }
        }, until: { $0.count >= count })
    }

    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: return s
        case .number(let n)?: return n
        default: return nil
        }
    }

    @Test func anAPIDecisionIsTracedToItsExactModelVersionAndSha256() async throws {
        try await TestApp.make().test(.router) { client in
            let body = try Data(contentsOf: Self.example)
            let answer = try await client.execute(
                uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
            #expect(answer.status == .ok)
            let requestID = try #require(answer.headers[.requestID])
            guard case .object(let result) = try JSONReader.parse(Array(answer.body.readableBytesView)), case .array(let reasons)? = result["reasons"] else {
                Issue.record("not a prediction")
                return
            }
            let records = try await Self.records(client, query: "request_id=\(requestID)", expecting: 1)
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(Self.text(record["request_id"]) == requestID)
            #expect(Self.text(record["channel"]) == "api")
            #expect(Self.text(record["model_name"]) == "lending-club")
            #expect(Self.text(record["model_version"]) == "2.1.0")
            #expect(Self.text(record["model_sha256"]) == Self.lendingClubSha)
            #expect(Self.text(record["applicant_id"]) == "LC-000069")
            #expect(Self.text(record["probability"]) == Self.text(result["probability_of_default"]))
            #expect(Self.text(record["decision"]) == Self.text(result["decision"]))
            #expect(Self.text(record["score"]) == Self.text(result["score"]))
            let features = reasons.compactMap { reason -> String? in
                if case .object(let r) = reason { return Self.text(r["feature"]) }
                return nil
            }
            #expect(!features.isEmpty)
            #expect(Self.text(record["reason_codes"]) == features.joined(separator: ";"))
            // Nothing of the applicant but the id.
            #expect(Set(record.keys).subtracting(AuditRecord.csvColumns).isEmpty)
            #expect(!String(describing: record).contains("17000"))
        }
    }

    /// Request ids sort by time (the audit index then grows at its end) and stay distinct
    /// within one millisecond.
    @Test func requestIDsAreTimeOrderedAndDistinct() throws {
        let start = Date(timeIntervalSince1970: 1_796_000_000.1235)
        let ids = (0..<2_000).map { i in AuditTrail.newRequestID(at: start.addingTimeInterval(Double(i / 100) * 0.001)) }
        for id in ids {
            #expect(id.count == 24)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(UInt64(ids[0].prefix(12), radix: 16) == UInt64(1_796_000_000_123))
        #expect(UInt64(ids[1_999].prefix(12), radix: 16) == UInt64(1_796_000_000_142))
        #expect(Set(ids).count == ids.count)
        // Ids of later milliseconds sort after earlier ones, whatever their random part.
        for (earlier, later) in zip(ids, ids.dropFirst(100)) { #expect(earlier < later) }
    }

    @Test func everyChannelLeavesOneRecordPerScoredApplicant() async throws {
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            // An upload: one record per valid row, in the batch's transaction, named by the batch id.
            let sample = try Data(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
            let uploaded = try await session.upload(sample, fileName: "sample.csv", model: "lending-club")
            let location = try #require(uploaded.headers[.location])
            let batchID = String(location.split(separator: "/").last ?? "")
            let results = try await session.get(location + "/results.csv")
            let reader = CSVReader(data: Data(results.body.readableBytesView))
            let header = try reader.readHeader()
            let p = try #require(header.firstIndex(of: "probability_of_default"))
            let d = try #require(header.firstIndex(of: "decision"))
            var expected: [(String, String)] = []
            var row = CSVRecord()
            while try reader.read(into: &row) {
                if !row[p].isEmpty { expected.append((row[p], row[d])) }
            }
            let batch = try await Self.records(client, query: "request_id=\(batchID)", expecting: expected.count)
            #expect(batch.count == expected.count)
            #expect(batch.allSatisfy { Self.text($0["channel"]) == "batch" && Self.text($0["model_sha256"]) == Self.lendingClubSha })
            for (record, (probability, decision)) in zip(batch, expected) {
                #expect(Double(Self.text(record["probability"]) ?? "") == Double(probability))
                #expect(Self.text(record["decision"]) == decision)
            }

            // A CSV body to the API, OIP tensors, the single-applicant form.
            let csv = try await client.execute(uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(data: sample))
            let csvID = try #require(csv.headers[.requestID])
            #expect(try await Self.records(client, query: "request_id=\(csvID)", expecting: expected.count).count == expected.count)
            let oip = try Data(contentsOf: TestApp.root.appendingPathComponent("examples/oip-infer-lending-club.json"))
            let inferred = try await client.execute(uri: "/v2/models/lending-club/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: oip))
            #expect(inferred.status == .ok)
            let oipID = try #require(inferred.headers[.requestID])
            let oipRecords = try await Self.records(client, query: "request_id=\(oipID)", expecting: 1)
            #expect(!oipRecords.isEmpty && oipRecords.allSatisfy { Self.text($0["channel"]) == "oip" })

            // The whole log as CSV, filtered by model: every record above, and only lending-club's.
            let all = try await client.execute(uri: "/admin/v1/audit?model=lending-club", method: .get, headers: TestApp.adminHeaders)
            #expect(all.headers[.contentType] == "text/csv; charset=utf-8")
            let exported = CSVReader(data: Data(all.body.readableBytesView))
            #expect(try exported.readHeader() == AuditRecord.csvColumns)
            var count = 0
            while try exported.read(into: &row) {
                count += 1
                #expect(row[6] == "lending-club")
            }
            #expect(count == 2 * expected.count + oipRecords.count)
        }
    }

    @Test func anUploadsRecordsGainTheReasonCodesOfTheVersionThatScoredIt() async throws {
        let sample = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")
        let bundle = try ModelBundle(directory: ModelVariants.lendingClub)
        let reader = try CSVReader(url: sample)
        let header = try reader.readHeader()
        var records: [CSVRecord] = []
        var row = CSVRecord()
        while try reader.read(into: &row) { records.append(row) }
        let outcomes = BatchScorer(bundle: bundle).score(
            records: records[...], mapping: try ColumnMapping(header: header, schema: bundle.schema), explain: ExplainOptions(reasons: 4))
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            let uploaded = try await session.upload(try Data(contentsOf: sample), fileName: "sample.csv", model: "lending-club")
            let batchID = String(try #require(uploaded.headers[.location]).split(separator: "/").last ?? "")
            let scored = outcomes.filter { $0.probability != nil }.count
            let filled = try await Eventually.poll({
                try await Self.records(client, query: "request_id=\(batchID)", expecting: scored)
            }, until: { $0.allSatisfy { Self.text($0["reason_codes"]) != nil } })
            #expect(filled.count == scored)
            for record in filled {
                let number = try #require(Int(Self.text(record["row_number"]) ?? ""))
                let expected = outcomes[number - 1].explanation.map { AuditRecord.codes($0.reasons) }
                #expect(Self.text(record["reason_codes"]) == expected, "row \(number)")
            }
        }
    }

    @Test func exportsFilterByTimeAndRefuseBadTimes() async throws {
        try await TestApp.make().test(.router) { client in
            let body = try Data(contentsOf: Self.example)
            let answer = try await client.execute(uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
            let id = try #require(answer.headers[.requestID])
            #expect(try await Self.records(client, query: "request_id=\(id)&since=2020-01-01", expecting: 1).count == 1)
            #expect(try await Self.records(client, query: "request_id=\(id)&until=2020-01-01T00:00:00Z", expecting: 0).isEmpty)
            #expect(try await Self.records(client, query: "request_id=\(id)&since=2999-01-01T00:00:00.000Z", expecting: 0).isEmpty)
            let bad = try await client.execute(uri: "/admin/v1/audit?since=yesterday", method: .get, headers: TestApp.adminHeaders)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("since='yesterday'"))
            let format = try await client.execute(uri: "/admin/v1/audit?format=xml", method: .get, headers: TestApp.adminHeaders)
            #expect(format.status == .badRequest)
        }
    }

    @Test func anAnswersRecordIsInTheLogOnceTheAnswerLeaves() async throws {
        try await TestApp.make().test(.router) { client in
            let body = try Data(contentsOf: Self.example)
            for _ in 0..<5 {
                let answer = try await client.execute(uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
                let id = try #require(answer.headers[.requestID])
                // Committed before the answer left, or (the database slower than the log's
                // deadline on a busy machine) synced to the journal and replayed within a second.
                #expect(try await Self.records(client, query: "request_id=\(id)", expecting: 1).count == 1)
            }
        }
    }

    @Test func auditRetentionIsIndependentOfUploadRetention() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        let audit = AuditStore(database: database)
        let now = Date()
        func record(daysAgo: Double) -> AuditRecord {
            AuditRecord(at: now.addingTimeInterval(-daysAgo * 86_400), requestID: "r\(daysAgo)", channel: .api, rowNumber: 1, applicantID: nil,
                        modelName: "m", modelVersion: "1", modelSha256: "s", probability: 0.1, decision: "approve", score: 700, reasonCodes: "")
        }
        try await audit.append([record(daysAgo: 10), record(daysAgo: 700), record(daysAgo: 800)])
        let retention = RetentionService(store: BatchStore(database: database), applicants: ApplicantDecisionStore(database: database), retentionDays: 7, audit: audit, auditRetentionDays: 760, reviews: ReviewStore(database: database), monitor: MonitorStore(database: database), logger: .init(label: "test"))
        await retention.purge(now: now)
        let kept = try await audit.page(.init(), after: 0, limit: 10).map(\.requestID)
        #expect(kept == ["r10.0", "r700.0"])
    }
}
