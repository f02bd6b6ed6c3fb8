import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// Drift that is right, and acts: a few clean rows raise no banner; a file whose units changed
/// has its approvals held for review, and the page, drift.json, the results file and the
/// counts say the same; the traffic monitor reads a decimal-comma file as its batch did.
@Suite(.sharingTheCores) struct DriftHoldTests {
    /// The first `count` rows of the lending-club sample (the model's own held-out rows).
    static func firstRows(_ count: Int) throws -> Data {
        let lines = try String(contentsOf: DriftPageTests.sample, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        return Data((lines.prefix(count + 1).joined(separator: "\n") + "\n").utf8)
    }

    /// The sample as a European spreadsheet saves it: semicolons between fields, decimal commas.
    static func european() throws -> Data {
        let lines = try String(contentsOf: DriftPageTests.sample, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        let text = lines.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: ".", with: ",") }.joined(separator: ";")
        }
        return Data((text.joined(separator: "\n") + "\n").utf8)
    }

    static func csvRows(_ response: TestResponse) throws -> [[String: String]] {
        let reader = CSVReader(data: Data(buffer: response.body))
        let header = try reader.readHeader()
        var rows: [[String: String]] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { rows.append(Dictionary(uniqueKeysWithValues: zip(header, record.fields))) }
        return rows
    }

    @Test func aFewCleanRowsRaiseNoBanner() async throws {
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            for count in [19, 50] {
                let location = try #require(try await session.upload(try Self.firstRows(count), fileName: "few-\(count).csv", model: "lending-club").headers[.location])
                let page = String(buffer: try await session.get(location).body)
                #expect(!page.contains("drift-banner"), "\(count) clean rows")
                let json = try ModelVariants.json(try await session.get(location + "/drift.json"))
                let inputs = try #require(json["inputs"] as? [[String: Any]])
                #expect(inputs.allSatisfy { $0["band"] as? String != "major" }, "\(count) rows")
                // Each input's bands for this many rows are above the fixed ones (noise allows more).
                let intRate = try #require(inputs.first { $0["name"] as? String == "int_rate" })
                #expect(((intRate["bands"] as? [String: Any])?["major"] as? Double ?? 0) > 0.25)
                #expect(json["heldApprovals"] == nil)
            }
            let list = String(buffer: try await session.get("/batches").body)
            #expect(!list.contains("band-major"))
        }
    }

    @Test func majorDriftHoldsTheApprovalsForReview() async throws {
        let fractions = try DriftPageTests.sample(changing: "int_rate") { $0 / 100 }
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            let location = try #require(try await session.upload(fractions, fileName: "fractions.csv", model: "lending-club").headers[.location])
            let json = try ModelVariants.json(try await session.get(location + "/drift.json"))
            let held = try #require(json["heldApprovals"] as? Int)
            #expect(held > 200, "rates as fractions look safe: nearly every applicant would be approved")
            #expect(json["holdsApprovals"] as? Bool == true)

            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("does not look like the data the model was trained on"))
            #expect(page.contains("Approvals were held: the \(held) applicants the model would have approved are marked review"))

            let rows = try Self.csvRows(try await session.get(location + "/results.csv"))
            #expect(rows.count == 300)
            #expect(!rows.contains { $0["decision"] == "approve" })
            let heldRows = rows.filter { $0["status"]?.contains("Held for review: this file does not look like the training data — int_rate: 100 % of values are below anything seen in training — was it sent as a fraction?") == true }
            #expect(heldRows.count == held)
            #expect(heldRows.allSatisfy { $0["decision"] == "review" && $0["status"]?.hasPrefix("warning: ") == true })

            // The summary counts none approved (the list's "Approved" column), as the file says.
            let list = String(buffer: try await session.get("/batches").body)
            let entry = try #require(list.firstMatch(of: /fractions\.csv<\/a><\/td><td>[^<]*<\/td><td>[^<]*<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td>/))
            #expect(entry.1 == "300" && entry.2 == "0.0 %", "\(entry.0)")

            // A held row's own page lists the reason.
            let number = try #require(rows.firstIndex { $0["status"]?.contains("Held for review") == true }) + 1
            // (Its warnings are stored with the features, written just after the batch.)
            let rowPage = try await Eventually.poll({ String(buffer: try await session.get(location + "/rows/\(number)").body) }) {
                $0.contains("Held for review: this file does not look like the training data")
            }
            #expect(rowPage.contains("Held for review: this file does not look like the training data"))
        }
    }

    @Test func theMonitorReadsADecimalCommaFileAsItsBatchDid() async throws {
        var configuration = TestApp.configuration()
        configuration.monitorWindowApplicants = 1000
        configuration.monitorMinimumApplicants = 100
        try await TestApp.make(configuration).test(.router) { client in
            let session = try await Session(client)
            let location = try #require(try await session.upload(try Self.european(), fileName: "european.csv", model: "lending-club").headers[.location])
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("Numbers were read with decimal commas"))
            #expect(!page.contains("drift-banner"))
            let json = try ModelVariants.json(try await session.get(location + "/drift.json"))
            let inputs = try #require(json["inputs"] as? [[String: Any]])

            let monitoring = try await MonitoringTests.monitoringPage(client) { $0.contains("Window: 300 applicants") }
            #expect(!monitoring.contains("drift-event"), "no drift event for a file like the training data")
            // The window holds the whole file: every input shown has the batch's own PSI and shares.
            var compared = 0
            for input in inputs {
                let name = try #require(input["name"] as? String)
                // The page writes its rows on one line: this input's ends at its </tr>.
                let row = MonitoringTests.inputRow(name, in: monitoring).components(separatedBy: "</tr>").first ?? ""
                guard !row.isEmpty else { continue }
                compared += 1
                let psi = try #require(input["psi"] as? Double)
                #expect(row.contains("<td class=\"num\">\(String(format: "%.3f", psi))</td>"), "\(name): \(row)")
                #expect(row.contains("<td class=\"num\">0.00 %</td>"), "\(name) is not missing in the window")
            }
            #expect(compared >= 10)
            for name in ["int_rate", "annual_inc", "revol_util"] {
                let batchInput = try #require(inputs.first { $0["name"] as? String == name })
                #expect(batchInput["missing_share"] as? Double == 0, "\(name)")
            }
        }
    }
}
