@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// Through the real app (SQLite, or PostgreSQL with LOANRISK_TEST_DATABASE_URL): categories
/// by their labels as well as their codes, and a line with the wrong number of fields as that
/// row's error in an upload, its download and the API's CSV answer.
@Suite(.sharingTheCores) struct InputsTests {
    static let sample = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")

    static func sampleLines(_ count: Int) throws -> [String] {
        Array(try String(contentsOf: sample, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }.prefix(count + 1))
    }

    static func applicant(term: String) throws -> [String: Any] {
        let data = try Data(contentsOf: TestApp.root.appendingPathComponent("examples/lending-club-one.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["term"] = term
        return object
    }

    @Test func aCategoryIsReadByItsLabelInAnyCaseAsByItsCode() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            var answers: [String: [String: Any]] = [:]
            for term in ["term_36", "36 months", "36 MONTHS", "48 months"] {
                let response = try await ApiTests.post(client, "/api/v1/models/lending-club/predict?reasons=0", json: try Self.applicant(term: term))
                #expect(response.status == .ok)
                answers[term] = try ApiTests.object(response)
            }
            let code = try #require(answers["term_36"]?["probability_of_default"] as? Double)
            for label in ["36 months", "36 MONTHS"] {
                #expect(answers[label]?["probability_of_default"] as? Double == code, "\(label)")
                #expect((answers[label]?["warnings"] as? [Any])?.isEmpty == true, "\(label)")
            }
            let unknown = (answers["48 months"]?["warnings"] as? [String]) ?? []
            #expect(unknown.contains { $0.contains("'48 months' is not a known term") }, "\(unknown)")

            // An upload that says "36 months": scored as term_36, the cell kept as sent in the
            // download, shown with the form's words on the page.
            let session = try await Session(client)
            let lines = try Self.sampleLines(5)
            let labelled = [lines[0]] + lines.dropFirst().map { $0.replacingOccurrences(of: ",term_36,", with: ",36 Months,") }
            let plain = try await session.upload(Data((lines.joined(separator: "\n") + "\n").utf8), fileName: "codes.csv", model: "lending-club")
            let words = try await session.upload(Data((labelled.joined(separator: "\n") + "\n").utf8), fileName: "labels.csv", model: "lending-club")
            let a = try #require(plain.headers[.location]), b = try #require(words.headers[.location])
            let codes = String(buffer: try await session.get(a + "/results.csv").body)
            let sent = String(buffer: try await session.get(b + "/results.csv").body)
            #expect(sent.contains(",36 Months,"))
            #expect(sent.replacingOccurrences(of: ",36 Months,", with: ",term_36,") == codes)
            let page = String(buffer: try await session.get(b + "?col=term").body)
            // The page writes the form's words for what was sent ("36 Months"), as for a code.
            #expect(page.contains(">36 months<") && !page.contains("36 Months<"))
        }
    }

    @Test func aLineWithTheWrongFieldCountIsThatRowsError() async throws {
        var lines = try Self.sampleLines(12)
        let width = lines[0].components(separatedBy: ",").count
        lines[4] = lines[4].components(separatedBy: ",").dropLast(3).joined(separator: ",")   // line 5
        lines[9] += ",extra"                                                                   // line 10
        let body = Data((lines.joined(separator: "\n") + "\n").utf8)
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let upload = try await session.upload(body, fileName: "ragged.csv", model: "lending-club")
            #expect(upload.status == .seeOther, "\(String(buffer: upload.body).prefix(300))")
            let location = try #require(upload.headers[.location])
            let csv = String(buffer: try await session.get(location + "/results.csv").body)
            let reader = CSVReader(data: Data(csv.utf8))
            let header = try reader.readHeader()
            var record = CSVRecord()
            var rows: [[String]] = []
            while try reader.read(into: &record) { rows.append(record.fields) }
            #expect(rows.count == 12)
            #expect(rows.allSatisfy { $0.count == header.count })
            let status = try #require(header.firstIndex(of: "status"))
            #expect(rows[3][status] == "error: Line 5 has \(width - 3) fields; the header has \(width) (a value or a delimiter is missing).")
            #expect(rows[8][status].hasPrefix("error: Line 10 has \(width + 1) fields; the header has \(width)"))
            let scored = rows.filter { !$0[status].hasPrefix("error") }.count
            #expect(scored == 10)
            let row = String(buffer: try await session.get(location + "/rows/4").body)
            #expect(row.contains("Line 5 has \(width - 3) fields"))
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("ragged.csv"))

            // The API's CSV answer: the same rows, the same statuses.
            let api = try await client.execute(
                uri: "/api/v1/models/lending-club/predict?reasons=0", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(data: body))
            #expect(api.status == .ok)
            let answer = CSVReader(data: Data(api.body.readableBytesView))
            let answerHeader = try answer.readHeader()
            let answerStatus = try #require(answerHeader.firstIndex(of: "status"))
            var statuses: [String] = []
            while try answer.read(into: &record) { statuses.append(record[answerStatus]) }
            #expect(statuses == rows.map { $0[status] })
        }
    }
}
