@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// Reasons on the pages and in the download, checked against the Scoring library on the
/// same file: the real app over a real SQLite file.
@Suite(.sharingTheCores) struct ReasonTests {
    /// What the library gives for every row of `input`: contributions and up to four reasons.
    static func libraryExplanations(_ input: URL = TestApp.goldenInput, model: URL = TestApp.goldenModel) throws -> [Explanation?] {
        let scorer = BatchScorer(bundle: try ModelBundle(location: model))
        let reader = try CSVReader(url: input)
        let mapping = try ColumnMapping(header: try reader.readHeader(), schema: scorer.schema)
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        let (matrix, issues) = scorer.encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        return scorer.explain(matrix, issues: issues, options: ExplainOptions(reasons: 4, contributions: true), threads: 1)
    }

    /// Mustache's HTML escaping undone, to compare page text with library text.
    static func unescaped(_ html: some StringProtocol) -> String {
        String(html).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The texts between every `start` and the next `end` in `html`.
    static func all(_ html: String, between start: String, and end: String) -> [String] {
        html.components(separatedBy: start).dropFirst().map { unescaped($0.components(separatedBy: end)[0]) }
    }

    static func upload(_ session: Session, _ data: Data? = nil) async throws -> String {
        let response = try await session.upload(try data ?? Data(contentsOf: TestApp.goldenInput), fileName: "applicants.csv")
        #expect(response.status == .seeOther)
        return try #require(response.headers[.location])
    }

    /// Asks for the results with reasons and waits until they are ready; returns the last status.
    static func makeReasonsFile(_ session: Session, at location: String) async throws -> String {
        let started = try await session.postForm(location + "/reasons", [:])
        #expect(started.status == .seeOther)
        return try await Eventually.poll({
            String(buffer: try await session.get(location + "/reasons.json").body)
        }, until: { $0.contains("\"ready\"") || $0.contains("\"failed\"") })
    }

    /// The text the results table shows for a row the library explains as `explanation`.
    static func topReason(_ explanation: Explanation?) -> String? {
        explanation.map { $0.reasons.first?.text ?? "No value raised the risk above the base rate" }
    }

    /// What `GET <batch>/top-reasons` answers.
    struct TopReasons: Decodable {
        var reasons: [String: String]
        var pending: [Int]
        var note: String?
    }

    /// The batch's top reasons for `rows`, asked for as the page's script does.
    static func topReasons(_ session: Session, at location: String, rows: [Int]) async throws -> TopReasons {
        let response = try await session.get("\(location)/top-reasons?rows=\(rows.map(String.init).joined(separator: ","))")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        let body = String(buffer: response.body)
        #expect(body.contains("\"note\":"), "\(body)")
        return try JSONDecoder().decode(TopReasons.self, from: Data(body.utf8))
    }

    /// Asks again while rows are pending (their features are written just after the upload).
    static func settledTopReasons(_ session: Session, at location: String, rows: [Int]) async throws -> TopReasons {
        let answer = try await Eventually.poll(every: .milliseconds(50), { try await topReasons(session, at: location, rows: rows) }, until: { $0.pending.isEmpty })
        #expect(answer.pending.isEmpty)
        return answer
    }

    @Test func theResultsPageShowsEachRowsTopReasonAsTheLibraryGivesIt() async throws {
        let expected = try Self.libraryExplanations()
        let firstReasons = expected.map(Self.topReason)
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try await Self.upload(session)

            // The page computes no reasons: each scored row's cell names its row for the
            // script and links to the row's page for readers without it.
            let html = String(buffer: try await session.get(location).body)
            #expect(html.contains("<th scope=\"col\" data-key=\"reason\">Top reason</th>"))
            #expect(html.contains("<table id=\"results\" data-reasons=\"\(location)/top-reasons\">"))
            let cells = Self.all(html, between: "<td class=\"reason\" data-row=\"", and: "</td>")
            #expect(cells.count == RowQuery.pageSize)
            for (index, cell) in cells.enumerated() {
                let number = index + 1
                #expect(cell == "\(number)\"><a class=\"why\" href=\"\(location)/rows/\(number)\" aria-label=\"Why? Reasons for row \(number)\">Why?</a>")
            }
            let unescapedPage = Self.unescaped(html)
            for number in 1...RowQuery.pageSize {
                if let reason = firstReasons[number - 1] { #expect(!unescapedPage.contains(reason), "row \(number)'s reason is on the page") }
            }

            // Asked for: each row's top reason as the library gives it.
            let answer = try await Self.settledTopReasons(session, at: location, rows: Array(1...RowQuery.pageSize))
            #expect(answer.note == nil)
            #expect(answer.reasons.count == (1...RowQuery.pageSize).filter { firstReasons[$0 - 1] != nil }.count)
            for number in 1...RowQuery.pageSize {
                #expect(answer.reasons[String(number)] == firstReasons[number - 1], "row \(number)")
            }

            // Another page, sorted: its rows, asked for in the page's order, get their own reasons.
            let sorted = String(buffer: try await session.get(location + "?sort=probability&dir=desc&page=2").body)
            let numbers = Self.all(sorted, between: "<td class=\"reason\" data-row=\"", and: "\"").compactMap(Int.init)
            #expect(numbers.count == RowQuery.pageSize)
            #expect(numbers == Self.all(sorted, between: "title=\"Details and reasons for row ", and: "\"").compactMap(Int.init))
            let sortedAnswer = try await Self.settledTopReasons(session, at: location, rows: numbers)
            #expect(sortedAnswer.reasons.count == numbers.count)
            for number in numbers {
                #expect(sortedAnswer.reasons[String(number)] == firstReasons[number - 1], "row \(number)")
            }
            // Repeats are answered once; the largest request allowed is answered.
            #expect(try await Self.topReasons(session, at: location, rows: [7, 7, 3]).reasons.keys.sorted() == ["3", "7"])
            let all = try await Self.topReasons(session, at: location, rows: Array(1...BatchController.topReasonsLimit))
            #expect(all.reasons.count == (1...BatchController.topReasonsLimit).filter { firstReasons[$0 - 1] != nil }.count)
        }
    }

    @Test func topReasonsRefuseBadRowsAndUnknownBatchesInJSON() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try await Self.upload(session)
            let tooMany = (1...BatchController.topReasonsLimit + 1).map(String.init).joined(separator: ",")
            let cases: [(query: String, says: String)] = [
                ("", "Say which rows to explain"), ("?rows=", "Say which rows to explain"), ("?other=3", "Say which rows to explain"),
                ("?rows=abc", "‘abc’ is not a row of this batch"), ("?rows=3,x4", "‘x4’ is not a row of this batch"),
                ("?rows=0", "‘0’ is not a row of this batch"), ("?rows=-2", "‘-2’ is not a row of this batch"),
                ("?rows=99999", "‘99999’ is not a row of this batch: its rows are numbered 1 to 200"),
                ("?rows=%3Cb%3E", "‘<b>’ is not a row of this batch"),
                ("?rows=\(tooMany)", "at most \(BatchController.topReasonsLimit) rows at a time; this asked for \(BatchController.topReasonsLimit + 1)"),
            ]
            for (query, says) in cases {
                let response = try await session.get("\(location)/top-reasons\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.headers[.contentType] == "application/json", "\(query)")
                let body = try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
                #expect(body["error"]?.contains(says) == true, "\(query): \(body)")
            }

            for batch in ["abcdefghijkmnopq", "nope", "%3Cb%3E"] {
                let response = try await session.get("/batches/\(batch)/top-reasons?rows=1")
                #expect(response.status == .notFound, "\(batch)")
                #expect(response.headers[.contentType] == "application/json", "\(batch)")
                let body = try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
                #expect(body["error"]?.contains("There is no such batch") == true, "\(batch): \(body)")
            }
        }
    }

    @Test func rowsWhoseFeaturesAreNotStoredYetArePendingAndBatchesWithoutThemGetANote() async throws {
        // A batch stored as an upload stores it, its features not written yet.
        let configuration = TestApp.configuration()
        let database = try await TestApp.database(configuration)
        let store = BatchStore(database: database)
        let lines = try String(contentsOf: TestApp.goldenInput, encoding: .utf8).split(separator: "\n").map(String.init)
        let numeric = try #require(try ModelBundle(location: TestApp.goldenModel).schema.features.firstIndex { $0.kind == .numeric })
        var bad = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        bad[numeric] = "lots"
        let csv = Data((Array(lines.prefix(4)) + [bad.joined(separator: ",")]).joined(separator: "\n").utf8 + [0x0A])
        let file = try UploadedFile(name: "pending.csv", bytes: UploadBytes(ByteBuffer(data: csv)), maxBytes: 1 << 20, spoolDirectory: FileManager.default.temporaryDirectory)
        let scorer = BatchScorer(bundle: try ModelBundle(location: TestApp.goldenModel))
        let built = try BatchBuilder(scorer: scorer, threads: 1).build(file, id: BatchID.make())
        #expect(!built.features.isEmpty)
        try await store.insert(.init(summary: built.summary, rows: built.rows, features: built.features, gzipFile: try file.gzip(), fileByteCount: csv.count, modelSha256: scorer.bundle.sha256))
        let location = "/batches/\(built.summary.id)"
        let expected = try Self.libraryExplanations(TestApp.goldenInput)

        let app = try await TestApp.make(configuration, database: database)
        try await app.test(.router) { client in
            let session = try await Session(client)
            // Every row asked for is on its way, at once: nothing waits for the features (which
            // never come here until inserted below). The bound only catches the longest wait a
            // page has on them (60 s, the reasons file's): the whole suite runs at once on two
            // cores, where a request alone can take seconds.
            let clock = ContinuousClock()
            let asked = clock.now
            let waiting = try await Self.topReasons(session, at: location, rows: [1, 2, 3, 4])
            #expect(clock.now - asked < .seconds(45))
            #expect(waiting.pending == [1, 2, 3, 4])
            #expect(waiting.reasons.isEmpty && waiting.note == nil)

            // Written: the scored rows have their reasons; row 4, invalid, has none and is not pending.
            try await store.insertDeferred(batch: built.summary.id, features: built.features, cells: [])
            let answer = try await Self.topReasons(session, at: location, rows: [1, 2, 3, 4])
            #expect(answer.pending.isEmpty && answer.note == nil)
            #expect(answer.reasons.keys.sorted() == ["1", "2", "3"])
            for number in 1...3 {
                #expect(answer.reasons[String(number)] == Self.topReason(expected[number - 1]))
            }

            // A batch without features (stored before they were kept): the note its pages show.
            var old = built.summary
            old.id = BatchID.make()
            try await store.insert(.init(summary: old, rows: built.rows, gzipFile: try file.gzip(), fileByteCount: csv.count, modelSha256: scorer.bundle.sha256))
            try await store.insertDeferred(batch: old.id, features: [], cells: [])
            let none = try await Self.topReasons(session, at: "/batches/\(old.id)", rows: [1, 2])
            #expect(none.note == StoredRowExplainer.noFeaturesMessage)
            #expect(none.reasons.isEmpty && none.pending.isEmpty)
        }
    }

    @Test func aRowPageShowsItsReasonsAndEveryContribution() async throws {
        let expected = try Self.libraryExplanations()
        let model = try LightGBMModel(contentsOf: TestApp.goldenModel)
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try await Self.upload(session)
            for number in [1, 7, 200] {
                let explanation = try #require(expected[number - 1])
                let response = try await session.get("\(location)/rows/\(number)")
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<h1>Row \(number)"))
                #expect(Self.all(html, between: "<li>", and: "</li>") == explanation.reasons.map(\.text))
                // The chart: one bar per model feature, inline SVG (no script, no image).
                #expect(html.contains("<svg class=\"chart contributions\""))
                let wide = html.components(separatedBy: "<div class=\"chart-narrow\">").first ?? html  // a phone's chart follows
                #expect(wide.components(separatedBy: "<rect class=\"bar ").count - 1 == model.featureCount)
                // The table: every contribution, to the bit, by feature.
                let features = Self.all(html, between: "<tr data-feature=\"", and: "\"")
                let values = Self.all(html, between: "data-value=\"", and: "\"").compactMap(Double.init)
                #expect(Set(features) == Set(model.featureNames))
                #expect(values.count == model.featureCount)
                for (feature, value) in zip(features, values) {
                    let index = try #require(model.featureNames.firstIndex(of: feature))
                    #expect(value == explanation.contributions[index], "row \(number), \(feature)")
                }
                // Sorted by size, largest first.
                #expect(values.map(abs) == values.map(abs).sorted(by: >))
                let base = String(format: "%.2f %%", model.probability(rawScore: explanation.expectedValue) * 100)
                #expect(html.contains("<strong id=\"base-rate\">\(base)</strong>"))
            }
        }
    }

    @Test func unknownRowsAndUnscoredRowsAreExplained() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let lines = try String(contentsOf: TestApp.goldenInput, encoding: .utf8).split(separator: "\n")
            let numeric = try #require(try ModelBundle(location: TestApp.goldenModel).schema.features.firstIndex { $0.kind == .numeric })
            var bad = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            bad[numeric] = "lots"
            let location = try await Self.upload(session, Data((lines[0] + "\n" + lines[1] + "\n" + bad.joined(separator: ",") + "\n").utf8))

            for row in ["0", "3", "99999", "abc", "<b>"] {
                let response = try await session.get("\(location)/rows/\(row.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? row)")
                #expect(response.status == .notFound, "row \(row)")
                let html = String(buffer: response.body)
                #expect(html.contains("numbered 1 to 2"), "row \(row)")
                #expect(!html.contains("<b>"))
            }
            let unknown = try await session.get("/batches/abcdefghijkmnopq/rows/1")
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains("no such batch"))

            let invalid = try await session.get("\(location)/rows/2")
            #expect(invalid.status == .ok)
            let html = String(buffer: invalid.body)
            #expect(html.contains("could not be scored"))
            #expect(html.contains("lots"))
            #expect(!html.contains("<svg class=\"chart contributions\""))
            // The invalid row's cell is empty, with nothing to ask for; the valid one links to its page.
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("<td class=\"reason\"></td>"))
            #expect(Self.all(page, between: "<td class=\"reason\" data-row=\"", and: "\"") == ["1"])
        }
    }

    @Test func theSingleApplicantResultShowsTheSameReasonsAndChart() async throws {
        let bundle = try ModelBundle(location: TestApp.goldenModel)
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let (header, rows) = try PagesTests.csv(TestApp.goldenInput)
            var fields = Dictionary(uniqueKeysWithValues: zip(header, rows[3]))
            let outcome = try #require(BatchScorer(bundle: bundle).score(applicants: [fields], explain: ExplainOptions(reasons: 4, contributions: true)).first)
            let explanation = try #require(outcome.explanation)
            fields["csrf"] = session.token
            let response = try await session.decide(fields).page
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(Self.all(html, between: "<li>", and: "</li>") == explanation.reasons.map(\.text))
            #expect(!explanation.reasons.isEmpty)
            #expect(html.contains("<svg class=\"chart contributions\""))
            let values = Self.all(html, between: "data-value=\"", and: "\"").compactMap(Double.init)
            #expect(values.sorted() == explanation.contributions.sorted())
        }
    }

    @Test func anUnseenCategoryIsNamedInTheChartAndEscaped() async throws {
        let bundle = try ModelBundle(location: TestApp.goldenModel)
        let categorical = try #require(bundle.schema.features.first { $0.kind == .categorical })
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let (header, rows) = try PagesTests.csv(TestApp.goldenInput)
            var fields = Dictionary(uniqueKeysWithValues: zip(header, rows[0]))
            fields[categorical.name] = "<b>new\"one</b>"
            fields["csrf"] = session.token
            let response = try await session.decide(fields).page
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("<svg class=\"chart contributions\""))
            #expect(!html.contains("<b>new"))
            #expect(html.contains("&lt;b&gt;new&quot;one&lt;/b&gt;’ (not seen in training)"))
        }
    }

    @Test func theResultsWithReasonsAreMadeInTheBackgroundAndMatchTheLibrary() async throws {
        // The golden file plus one row that cannot be scored (it gets empty reason cells).
        let lines = try String(contentsOf: TestApp.goldenInput, encoding: .utf8).split(separator: "\n").map(String.init)
        let numeric = try #require(try ModelBundle(location: TestApp.goldenModel).schema.features.firstIndex { $0.kind == .numeric })
        var bad = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        bad[numeric] = "lots"
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("reasons-\(UUID().uuidString).csv")
        try Data((lines + [bad.joined(separator: ",")]).joined(separator: "\n").utf8 + [0x0A]).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let expected = try Self.libraryExplanations(input)
        #expect(expected.last.map { $0 == nil } == true)
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try await Self.upload(session, try Data(contentsOf: input))
            #expect(String(buffer: try await session.get(location).body).contains(">Download with reasons</button>"))
            #expect(try await session.get(location + "/reasons.csv").status == .notFound)

            let status = try await Self.makeReasonsFile(session, at: location)
            #expect(status.contains("\"state\":\"ready\""), "\(status)")
            #expect(String(buffer: try await session.get(location).body).contains("href=\"\(location)/reasons.csv\""))

            let download = try await session.get(location + "/reasons.csv")
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.contains("results-with-reasons.csv") == true)
            let bytes = Array(download.body.readableBytesView)
            let reader = CSVReader(data: Data(bytes))
            let header = try reader.readHeader()
            let inputHeader = try CSVReader(url: input).readHeader()
            #expect(header == inputHeader + ResultsCSV.resultColumns + ["reason_1", "reason_2", "reason_3", "reason_4"])

            // Input and result columns are exactly those of the results CSV; then the reasons.
            let results = CSVReader(data: Data(try await session.get(location + "/results.csv").body.readableBytesView))
            _ = try results.readHeader()
            var record = CSVRecord(), result = CSVRecord()
            var count = 0
            while try reader.read(into: &record) {
                #expect(try results.read(into: &result))
                let fields = record.fields
                #expect(Array(fields.prefix(result.count)) == result.fields, "row \(count + 1)")
                let reasons = (expected[count]?.reasons.map(\.text) ?? []) + Array(repeating: "", count: 4)
                #expect(Array(fields.suffix(4)) == Array(reasons.prefix(4)), "row \(count + 1)")
                count += 1
            }
            #expect(count == expected.count)

            // Sent gzip-compressed as stored, to clients that take it.
            let gzipped = try await session.get(location + "/reasons.csv", headers: [.acceptEncoding: "gzip"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            var body = gzipped.body
            #expect(Array(try body.decompress(with: .gzip()).readableBytesView) == bytes)

            // Asking again reuses the file.
            #expect(try await session.postForm(location + "/reasons", [:]).status == .seeOther)
            #expect(String(buffer: try await session.get(location + "/reasons.json").body).contains("\"ready\""))
        }
    }

    @Test func deletingABatchRemovesItsFeaturesAndReasonsFile() async throws {
        let configuration = TestApp.configuration()
        let database = try await TestApp.database(configuration)
        let store = BatchStore(database: database)
        let app = try await TestApp.make(configuration, database: database)
        try await app.test(.router) { client in
            let session = try await Session(client)
            let first = try await Self.upload(session)
            let second = try await Self.upload(session)
            #expect(try await Self.makeReasonsFile(session, at: first).contains("\"ready\""))
            var counts = try await store.recordCounts()
            #expect(counts.batches == 2 && counts.reasonsFiles == 1)
            #expect(counts.rowFeatures > 0)
            let perBatch = counts.rowFeatures / 2

            #expect(try await session.postForm(first + "/delete", [:]).status == .seeOther)
            counts = try await store.recordCounts()
            #expect(counts == .init(batches: 1, rows: 200, rowFeatures: perBatch, files: 1, reasonsFiles: 0))
            #expect(try await session.get(first + "/reasons.csv").status == .notFound)
            #expect(try await session.get(first + "/rows/1").status == .notFound)

            // Retention removes them too.
            #expect(try await store.deleteCreated(before: Date().addingTimeInterval(60)) == 1)
            #expect(try await store.recordCounts() == .init(batches: 0, rows: 0, rowFeatures: 0, files: 0, reasonsFiles: 0))
            #expect(try await session.get(second).status == .notFound)
        }
    }

    @Test func aBatchKeepsTheReasonsOfTheVersionThatScoredItAfterAnotherIsPromoted() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try await Self.upload(session)
            // A retrained mixed_realistic (another sigmoid: every probability differs) becomes the champion.
            let text = try String(contentsOf: TestApp.goldenModel, encoding: .utf8).replacingOccurrences(of: "sigmoid:1\n", with: "sigmoid:0.8\n")
            let variant = ModelVariants.Variant(model: Data(text.utf8), bundle: Data(), golden: nil, version: "")
            let (headers, body) = ModelVariants.multipart(variant, includeBundle: false)
            let registered = try await client.execute(uri: "/admin/v1/models/mixed_realistic/versions", method: .post, headers: headers, body: body)
            #expect(registered.status == .created)
            let version = try #require(try ModelVariants.json(registered)["version"] as? String)
            #expect(try await ModelVariants.setAlias(to: version, name: "mixed_realistic", with: client).status == .ok)
            // The batch's rows are still explained by the version that scored them, not the champion.
            let expected = try Self.libraryExplanations(TestApp.goldenInput)
            let answer = try await Self.topReasons(session, at: location, rows: [1, 2, 3])
            #expect(answer.note == nil)
            for number in 1...3 { #expect(answer.reasons[String(number)] == Self.topReason(expected[number - 1])) }
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("data-reasons="))
        }
    }

    @Test func aLinearLeafModelSaysReasonsAreNotAvailable() async throws {
        var configuration = TestApp.configuration()
        let folder = TestApp.root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/linear_tree")
        configuration.model = folder.appendingPathComponent("model.txt").path
        let database = try await TestApp.database(configuration)
        let app = try await TestApp.make(configuration, database: database)
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try await Self.upload(session, try Data(contentsOf: folder.appendingPathComponent("input.csv")))
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("Reasons are not available for this model (linear-leaf trees)."))
            #expect(!page.contains("<td class=\"reason\""))
            let answer = try await Self.topReasons(session, at: location, rows: [1, 2])
            #expect(answer.note == "Reasons are not available for this model (linear-leaf trees).")
            #expect(answer.reasons.isEmpty && answer.pending.isEmpty)
            #expect(try await BatchStore(database: database).recordCounts().rowFeatures == 0)
            let row = String(buffer: try await session.get(location + "/rows/1").body)
            #expect(row.contains("Reasons are not available for this model (linear-leaf trees)."))

            let (header, rows) = try PagesTests.csv(folder.appendingPathComponent("input.csv"))
            var fields = Dictionary(uniqueKeysWithValues: zip(header, rows[0]))
            fields["csrf"] = session.token
            let result = String(buffer: try await session.decide(fields).page.body)
            #expect(result.contains("Reasons are not available for this model (linear-leaf trees)."))
        }
    }
}
