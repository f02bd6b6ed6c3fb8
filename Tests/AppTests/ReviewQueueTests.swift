@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// The review queue: an analyst decides a case the model referred, with a note; the decision
/// is on the row, in the batch table, in the download's analyst columns, and in the audit log.
@Suite(.sharingTheCores) struct ReviewQueueTests {
    @Test func anAnalystsDecisionIsKeptShownExportedAndAudited() async throws {
        var configuration = TestApp.configuration()
        configuration.model = "lending-club"
        let app = try await TestApp.make(configuration)
        let sample = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: sample), fileName: "loans.csv", model: "lending-club"))
            func download() async throws -> [[String]] {
                let csv = String(buffer: try await session.get(location + "/results.csv").body)
                let reader = CSVReader(data: Data(csv.utf8))
                var rows = [try reader.readHeader()]
                var record = CSVRecord()
                while try reader.read(into: &record) { rows.append(record.fields) }
                return rows
            }
            let before = try await download()
            #expect(!before[0].contains("analyst_decision"), "no analyst columns before any decision")
            let decisionColumn = try #require(before[0].firstIndex(of: "decision"))
            let reviewRow = try #require(before.indices.dropFirst().first { before[$0][decisionColumn] == "review" })
            let approvedRow = try #require(before.indices.dropFirst().first { before[$0][decisionColumn] == "approve" })
            let rowPage = String(buffer: try await session.get(location + "/rows/\(reviewRow)").body)
            #expect(rowPage.contains("Analyst&#39;s decision") || rowPage.contains("Analyst's decision"))
            let note = "Income verified by phone, 2 payslips"
            let decided = try await session.postForm(location + "/rows/\(reviewRow)/review", ["decision": "decline", "note": note])
            #expect(decided.status == .seeOther)
            let shown = String(buffer: try await session.get(location + "/rows/\(reviewRow)").body)
            #expect(shown.contains("id=\"review-decided\">Decided: <span class=\"badge decline\">decline</span>"))
            #expect(shown.contains(note))
            let table = String(buffer: try await session.get(location + "?decision=review").body)
            #expect(table.contains("→ <span class=\"badge decline\">decline</span>"))
            // The download gains the analyst's columns, filled on the decided row only.
            let after = try await download()
            #expect(after[0].suffix(2) == ["analyst_decision", "analyst_note"])
            #expect(after[reviewRow].suffix(2) == ["decline", note])
            #expect(after.indices.dropFirst().filter { $0 != reviewRow }.allSatisfy { after[$0].suffix(2) == ["", ""] })
            #expect(Array(after[reviewRow].prefix(before[0].count)) == before[reviewRow])
            // The audit log has the decision (not the note), next to the model's own record.
            let id = String(location.dropFirst("/batches/".count))
            let audit = String(buffer: try await client.execute(uri: "/admin/v1/audit?format=ndjson&request_id=\(id)", method: .get, headers: TestApp.adminHeaders).body)
            let reviews = audit.split(separator: "\n").filter { $0.contains("\"channel\":\"review\"") }
            #expect(reviews.count == 1)
            #expect(reviews.first?.contains("\"decision\":\"decline\"") == true && reviews.first?.contains("\"row_number\":\(reviewRow)") == true)
            #expect(!audit.contains(note))
            // Only review cases take a decision; only approve or decline.
            #expect(try await session.postForm(location + "/rows/\(approvedRow)/review", ["decision": "decline"]).status == .conflict)
            #expect(try await session.postForm(location + "/rows/\(reviewRow)/review", ["decision": "maybe"]).status == .unprocessableContent)
            #expect(try await session.postForm(location + "/rows/\(reviewRow)/review", ["decision": "approve", "csrf": "forged"]).status == .forbidden)
        }
    }
}
