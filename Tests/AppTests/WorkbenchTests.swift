@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// The analyst's workbench (#15), server side: exports that are the rows in view, the index
/// of models, a home page that follows the chosen model, and a file that fits another model
/// being told which.
@Suite(.sharingTheCores) struct WorkbenchTests {
    static let germanSample = TestApp.root.appendingPathComponent("Data/samples/german-credit-sample.csv")

    /// The library's results CSV for the golden input, split into header and rows (the row
    /// number of each is its position in the file, from 1), with each row's probability and decision.
    static func libraryRows() throws -> (header: String, rows: [String], outcomes: [(probability: Double, decision: String)]) {
        let bytes = try UploadTests.libraryResults(for: TestApp.goldenInput, model: TestApp.goldenModel)
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let reader = CSVReader(data: Data(bytes))
        let header = try reader.readHeader()
        let p = try #require(header.firstIndex(of: "probability_of_default"))
        let d = try #require(header.firstIndex(of: "decision"))
        var record = CSVRecord()
        var outcomes: [(probability: Double, decision: String)] = []
        while try reader.read(into: &record) { outcomes.append((Double(record[p]) ?? -1, record[d])) }
        return (lines[0], Array(lines.dropFirst()), outcomes)
    }

    @Test func theDownloadIsExactlyTheRowsInViewInTheirOrder() async throws {
        let app = try await TestApp.make()
        let (header, lines, outcomes) = try Self.libraryRows()
        #expect(outcomes.count == lines.count)
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "applicants.csv"))
            // Declines only, riskiest first (ties: later rows first, as the table sorts them).
            let declined = outcomes.indices.filter { outcomes[$0].decision == "decline" }
                .sorted { (outcomes[$0].probability, $0) > (outcomes[$1].probability, $1) }
            #expect(!declined.isEmpty && declined.count < outcomes.count)
            let csv = String(buffer: try await session.get(location + "/results.csv?decision=decline&sort=probability&dir=desc").body)
            let got = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(got.first == header)
            #expect(Array(got.dropFirst()) == declined.map { lines[$0] })
            // The page offers that very download, and says how many rows it holds.
            let page = String(buffer: try await session.get(location + "?decision=decline&sort=probability&dir=desc&page=2").body)
            #expect(page.contains("results.csv?sort=probability&amp;dir=desc&amp;decision=decline\"") || page.contains("results.csv?sort=probability&dir=desc&decision=decline\""))
            #expect(page.contains("Download these \(declined.count) results (CSV)"))
            // Unfiltered, it is still the whole file in file order.
            let all = String(buffer: try await session.get(location + "/results.csv").body).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(Array(all.dropFirst()) == lines)
        }
    }

    @Test func theModelsIndexListsEveryModelAndTheNavLinksToIt() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let index = try await client.execute(uri: "/models", method: .get)
            #expect(index.status == .ok)
            let html = String(buffer: index.body)
            for name in ["mixed_realistic", "lending-club", "german-credit", "credit-data"] {
                #expect(html.contains("href=\"/models/\(name)\""), "\(name) is listed")
            }
            #expect(html.contains("<a href=\"/models\">Models</a>"))
        }
    }

    @Test func theHomePageFollowsTheChosenModel() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let html = String(buffer: try await client.execute(uri: "/?model=german-credit", method: .get).body)
            #expect(html.contains("<option value=\"german-credit\" selected>"))
            #expect(html.contains("href=\"/models/german-credit/template.csv\""))
            #expect(html.contains("href=\"/models/german-credit/sample.csv\""))
            // Every model's description is on the page; only the chosen one is shown.
            #expect(html.contains("class=\"card model-about\" data-model=\"german-credit\" data-has-sample=\"true\">"))
            #expect(html.contains("class=\"card model-about\" data-model=\"lending-club\" data-has-sample=\"true\" hidden>"))
        }
    }

    @Test func aFileThatFitsAnotherModelIsToldWhichOne() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let refused = try await session.upload(try Data(contentsOf: Self.germanSample), fileName: "german.csv", model: "lending-club")
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains("These columns match German credit (UCI Statlog)."))
            #expect(html.contains("href=\"/?model=german-credit\""))
            // A file that fits no model gets no suggestion.
            let other = try await session.upload(Data("a,b\n1,2\n".utf8), fileName: "other.csv", model: "lending-club")
            #expect(other.status == .unprocessableContent)
            #expect(!String(buffer: other.body).contains("These columns match"))
        }
    }

    @Test func aEuropeanSpreadsheetsFileIsReadWithDecimalCommasAndSaysSo() async throws {
        let app = try await TestApp.make()
        let sample = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")
        let lines = try String(contentsOf: sample, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        let header = lines[0].components(separatedBy: ",")
        let european = lines.enumerated().map { index, line -> String in
            let cells = line.components(separatedBy: ",")
            guard index > 0 else { return cells.joined(separator: ";") }
            return zip(header, cells).map { ["int_rate", "annual_inc", "revol_util"].contains($0) ? $1.replacingOccurrences(of: ".", with: ",") : $1 }
                .joined(separator: ";")
        }.joined(separator: "\n") + "\n"
        try await app.test(.router) { client in
            let session = try await Session(client)
            let original = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: sample), fileName: "us.csv", model: "lending-club"))
            let location = try UploadTests.batchLocation(try await session.upload(Data(european.utf8), fileName: "eu.csv", model: "lending-club"))
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("Numbers were read with decimal commas"))
            #expect(!String(buffer: try await session.get(original).body).contains("Numbers were read with decimal commas"))
            #expect(page.contains("<span class=\"value\">0</span><span class=\"label\">invalid rows"))
            // The same probabilities, row for row (the results' last five columns).
            func results(_ uri: String) async throws -> [String] {
                String(buffer: try await session.get(uri + "/results.csv").body).components(separatedBy: "\r\n").filter { !$0.isEmpty }
                    .map { row in row.components(separatedBy: ",").suffix(5).dropLast().joined(separator: ",") }
            }
            #expect(try await results(location) == results(original))
        }
    }

    /// The cards describe the rows in view: a filter to declines gives the declines' count and
    /// their expected defaults (the sum of their probabilities, from the library's results).
    @Test func theSummaryFollowsTheFilters() async throws {
        let app = try await TestApp.make()
        let (_, _, outcomes) = try Self.libraryRows()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "applicants.csv"))
            func stat(_ html: String, _ label: String) -> String? {
                guard let range = html.range(of: "</span><span class=\"label\">\(label)") else { return nil }
                let before = html[..<range.lowerBound]
                return before.components(separatedBy: "<span class=\"value\">").last.map { String($0) }
            }
            let scored = outcomes.filter { $0.probability >= 0 }
            let all = String(buffer: try await session.get(location).body)
            #expect(stat(all, "applicants") == "\(outcomes.count)")
            #expect(stat(all, "expected defaults") == String(format: "%.1f", scored.map(\.probability).reduce(0, +)))
            #expect(!all.contains("These figures are for the"))
            let declines = scored.filter { $0.decision == "decline" }
            let filtered = String(buffer: try await session.get(location + "?decision=decline").body)
            #expect(stat(filtered, declines.count == 1 ? "applicant" : "applicants") == "\(declines.count)")
            #expect(stat(filtered, "expected defaults") == String(format: "%.1f", declines.map(\.probability).reduce(0, +)))
            #expect(stat(filtered, "approve") == "0")
            #expect(filtered.contains("These figures are for the \(declines.count) applicants the filters keep (the whole file: \(outcomes.count) applicants"))
            #expect(filtered.contains("id=\"score-bands\""))
            #expect(filtered.contains("class=\"cutoff\""))
        }
    }

    @Test func rangeFiltersAndSubstringSearchHoldForThePageAndTheDownload() async throws {
        let app = try await TestApp.make()
        let (_, lines, outcomes) = try Self.libraryRows()
        // The golden input with an id column of its own, named as lenders name it.
        let input = try String(contentsOf: TestApp.goldenInput, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        let withIDs = input.enumerated().map { index, line in (index == 0 ? "loan_id" : String(format: "L-%04d", index)) + "," + line }
            .joined(separator: "\n") + "\n"
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(Data(withIDs.utf8), fileName: "loans.csv"))
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("Search loan_id"))
            #expect(page.contains("<a href=\"/batches/") && page.contains(">L-0001</a>"))
            // Substring, any case: "-004" is in L-0040 … L-0049. The term is posted, never in an address.
            let found = String(buffer: try await session.postForm(location + "/results.csv", ["q": "-004"]).body)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
            #expect(found.map { String($0.prefix(6)) } == (40...49).map { String(format: "L-%04d", $0) })
            // 10 % to 20 %: the library's rows in that range, in file order.
            let inRange = outcomes.indices.filter { (0.10...0.20).contains(outcomes[$0].probability) }
            #expect(!inRange.isEmpty && inRange.count < outcomes.count)
            let csv = String(buffer: try await session.get(location + "/results.csv?pmin=10&pmax=20").body)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
            #expect(csv.map { String($0.drop { $0 != "," }.dropFirst()) } == inRange.map { lines[$0] })
            let filtered = String(buffer: try await session.get(location + "?pmin=10&pmax=20").body)
            #expect(filtered.contains("name=\"pmin\" min=\"0\" max=\"100\" step=\"any\" inputmode=\"decimal\" value=\"10\""))
            #expect(filtered.contains("These figures are for the \(inRange.count) applicants the filters keep"))
            // Scores too: the lowest score in range bounds the rest.
            let scores = String(buffer: try await session.get(location + "/results.csv?smin=600").body)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
                .compactMap { Int($0.components(separatedBy: ",").suffix(3).first ?? "") }
            #expect(scores.allSatisfy { $0 >= 600 })
        }
    }

    /// `/docs` has a table of contents whose every link lands on an operation, and a
    /// description several operations share is written once.
    @Test func theDocsHaveContentsAndSayEachThingOnce() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let html = String(buffer: try await client.execute(uri: "/docs", method: .get).body)
            let toc = try #require(html.components(separatedBy: "<nav class=\"card toc\"").last?.components(separatedBy: "</nav>").first)
            let anchors = toc.components(separatedBy: "href=\"#").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(anchors.count > 10)
            for anchor in anchors { #expect(html.contains("id=\"\(anchor)\""), "no section for #\(anchor)") }
            let repeated = "Send one applicant object, or"
            #expect(html.components(separatedBy: repeated).count == 2, "the predict description is written once")
            #expect(html.contains("Works as <a href=\"#"))
        }
    }

    /// The reasons chart is read in probability points as well as log-odds, and the base rate
    /// is explained against the bad rate observed in training.
    @Test func theBaseRateIsExplainedAndContributionsReadInProbabilityPoints() async throws {
        var configuration = TestApp.configuration()
        configuration.model = "lending-club"
        let app = try await TestApp.make(configuration)
        let bundle = try ModelBundle(directory: TestApp.root.appendingPathComponent("Data/models/lending-club"))
        let observed = try #require(bundle.manifest?.metrics?.cv?.badRate)
        let (header, rows) = try PagesTests.csv(TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
        var fields = Dictionary(uniqueKeysWithValues: zip(header, rows[0]).filter { bundle.schema.requiredColumns.contains($0.0) })
        fields["model"] = "lending-club"
        let entered = fields
        try await app.test(.router) { client in
            let html = String(buffer: try await Session(client).decide(entered).page.body)
            #expect(html.contains("id=\"base-rate-note\""))
            #expect(html.contains("not the bad rate observed in training (\(String(format: "%.2f %%", observed * 100)))"))
            #expect(html.contains("Alone (probability points)"))
            // Each row's points are p(base + contribution) − p(base).
            let explanation = try #require(BatchScorer(bundle: bundle).score(
                applicants: [Dictionary(uniqueKeysWithValues: zip(header, rows[0]).map { ($0.0, $0.1) })],
                explain: ExplainOptions(reasons: 4, contributions: true)).first?.explanation)
            let base = bundle.model.probability(rawScore: explanation.expectedValue)
            let first = try #require(explanation.contributions.indices.max { abs(explanation.contributions[$0]) < abs(explanation.contributions[$1]) })
            let points = (bundle.model.probability(rawScore: explanation.expectedValue + explanation.contributions[first]) - base) * 100
            #expect(html.contains("<td class=\"num\" data-label=\"Alone (probability points)\">\(String(format: "%+.2f", points))</td>"))
        }
    }

    /// A row opened from a sorted, filtered view walks that view.
    @Test func rowBeforeAndAfterFollowTheView() async throws {
        let app = try await TestApp.make()
        let (_, _, outcomes) = try Self.libraryRows()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "applicants.csv"))
            // Declines, riskiest first (ties: later rows first), as row numbers from 1.
            let order = outcomes.indices.filter { outcomes[$0].decision == "decline" }
                .sorted { (outcomes[$0].probability, $0) > (outcomes[$1].probability, $1) }.map { $0 + 1 }
            #expect(order.count >= 3)
            let view = "?sort=probability&dir=desc&decision=decline"
            let table = String(buffer: try await session.get(location + view).body)
            #expect(table.contains("href=\"\(location)/rows/\(order[0])?sort=probability&amp;dir=desc&amp;decision=decline\""))
            let page = String(buffer: try await session.get(location + "/rows/\(order[1])" + view).body)
            #expect(page.contains("href=\"\(location)/rows/\(order[0])?sort=probability&amp;dir=desc&amp;decision=decline\" rel=\"prev\""))
            #expect(page.contains("href=\"\(location)/rows/\(order[2])?sort=probability&amp;dir=desc&amp;decision=decline\" rel=\"next\""))
            #expect(page.contains("2 of \(order.count) in this view"))
            // Without a view, file order.
            let plain = String(buffer: try await session.get(location + "/rows/5").body)
            #expect(plain.contains("href=\"\(location)/rows/4\" rel=\"prev\"") && plain.contains("href=\"\(location)/rows/6\" rel=\"next\""))
        }
    }
}
