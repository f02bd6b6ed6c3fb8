@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@Suite(.sharingTheCores) struct PagesTests {
    @Test func healthAndReadiness() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(String(buffer: ready.body).contains("mixed_realistic"))
        }
    }

    @Test func modelCardListsEveryInput() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/models/mixed_realistic", method: .get)
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            let model = try LightGBMModel(contentsOf: TestApp.goldenModel)
            for name in model.featureNames { #expect(html.contains("<code>\(name)</code>")) }
            #expect(try await client.execute(uri: "/models/nope", method: .get).status == .notFound)
        }
    }

    @Test func unknownPagesAndBatchesAreFriendly404s() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let missing = try await client.execute(uri: "/batches/abcdefghijkmnopq", method: .get)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("no such batch"))
            let bogus = try await client.execute(uri: "/batches/<script>", method: .get)
            #expect(bogus.status == .notFound)
            #expect(!String(buffer: bogus.body).contains("<script>"))
        }
    }

    @Test func singleApplicantFormScoresLikeTheLibrary() async throws {
        let configuration = TestApp.configuration()
        let database = try await TestApp.database(configuration)
        let app = try await TestApp.make(configuration)
        try await app.test(.router) { client in
            let session = try await Session(client)
            let form = try await session.get("/applicants/new")
            #expect(form.status == .ok)
            // The form posts, with the session's token: its values never go into an address.
            #expect(String(buffer: form.body).contains("method=\"post\" action=\"/applicants\""))
            #expect(Session.formToken(in: String(buffer: form.body)) == session.token)
            let bundle = try ModelBundle(location: TestApp.goldenModel)
            // The first golden row, field by field.
            let (header, rows) = try Self.csv(TestApp.goldenInput)
            var fields: [String: String] = [:]
            for (name, value) in zip(header, rows[0]) { fields[name] = value }
            let outcome = try #require(BatchScorer(bundle: bundle).score(applicants: [fields]).first)
            let expected = String(format: "%.2f %%", (outcome.probability ?? -1) * 100)
            let (location, page) = try await session.decide(fields)
            // The decision's address is its id, nothing the applicant entered.
            #expect(location.wholeMatch(of: /\/applicants\/[a-z0-9]{16}/) != nil, "\(location)")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("<span class=\"value\" id=\"probability\">\(expected)</span>"))
            #expect(html.contains("id=\"decision\">\(outcome.decision?.rawValue ?? "?")<"))
            #expect(html.contains("id=\"cutoff\">"))
            #expect(html.contains("href=\"\(location)\" id=\"permalink\""))
            // No link or form on the page carries an entered value in its address.
            for address in ReasonTests.all(html, between: "href=\"", and: "\"") + ReasonTests.all(html, between: "action=\"", and: "\"") {
                #expect(!address.contains("?") || !fields.values.contains { value in value.count > 2 && address.contains(value) }, "\(address)")
            }

            // A reload shows the stored decision and records nothing more.
            #expect(try await Eventually.poll({ try await Self.formRecords(database) }, until: { $0 >= 1 }) == 1)
            let reloaded = try await session.get(location)
            #expect(reloaded.status == .ok)
            #expect(String(buffer: reloaded.body) == html)
            try await Task.sleep(for: .milliseconds(300))  // longer than a buffered audit write ever waits
            #expect(try await Self.formRecords(database) == 1)
            // Old result addresses are not decided from their query any more.
            #expect(try await session.get("/applicants/result?int_rate=12").status == .gone)
            #expect(try await session.get("/applicants/abcdefghijkmnopq").status == .notFound)
        }
        await database.close()
    }

    /// The form's audit records, once the log has them.
    static func formRecords(_ database: any SQLDatabase) async throws -> Int {
        try await database.read { db in
            try await db.scalar("SELECT COUNT(*) FROM audit_record WHERE channel = ?", ["form"], as: Int.self) ?? 0
        }
    }

    /// The result's links: edit keeps every value; what-if moves one input and says what changes.
    @Test func resultLinksKeepTheValuesAndWhatIfMovesOne() async throws {
        var configuration = TestApp.configuration()
        configuration.model = "lending-club"
        let database = try await TestApp.database(configuration)
        let app = try await TestApp.make(configuration)
        let bundle = try ModelBundle(directory: TestApp.root.appendingPathComponent("Data/models/lending-club"))
        let (header, rows) = try Self.csv(TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
        var row: [String: String] = [:]
        for (name, value) in zip(header, rows[0]) where bundle.schema.requiredColumns.contains(name) { row[name] = value }
        let fields = row
        try await app.test(.router) { client in
            let session = try await Session(client)
            let (location, page) = try await session.decide(fields.merging(["model": "lending-club"]) { a, _ in a })
            let html = String(buffer: page.body)
            let edit = try #require(html.components(separatedBy: "href=\"").first { $0.hasPrefix("/applicants/new?") }?.prefix { $0 != "\"" })
            #expect(edit == "/applicants/new?from=\(location.split(separator: "/").last ?? "")")
            let form = String(buffer: try await session.get(String(edit)).body)
            #expect(form.contains("value=\"\(fields["int_rate"] ?? "?")\""))
            // What if the interest rate were 30 %: the probability rises, as the constraint says it must.
            var moved = fields
            moved["int_rate"] = "30"
            let before = try #require(BatchScorer(bundle: bundle).score(applicants: [fields]).first?.probability)
            let after = try #require(BatchScorer(bundle: bundle).score(applicants: [moved]).first?.probability)
            #expect(after >= before)
            #expect(html.contains("action=\"\(location)/what-if\""))
            let whatIf = try await session.postForm(location + "/what-if", ["whatif": "int_rate", "whatif_value": "30"])
            #expect(whatIf.status == .ok)
            // Both values in the input's unit, as the reasons write them.
            #expect(String(buffer: whatIf.body).contains("With Interest rate 30 % instead of \(fields["int_rate"] ?? "?") %: probability of default <strong>\(String(format: "%.2f %%", after * 100))</strong>"))
            let bad = String(buffer: try await session.postForm(location + "/what-if", ["whatif": "int_rate", "whatif_value": "lots"]).body)
            #expect(bad.contains("class=\"error\" role=\"alert\">Interest rate (int_rate) must be a number, but is &#39;lots&#39;."))
            // A what-if decides nothing: one record, the decision's own.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await Self.formRecords(database) == 1)
        }
        await database.close()
    }

    @Test func invalidFieldsAreShownBesideTheirInputs() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let bundle = try ModelBundle(location: TestApp.goldenModel)
            let numeric = try #require(bundle.schema.features.first { $0.kind == .numeric })
            let response = try await session.postForm("/applicants", [numeric.name: "lots"])
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("field has-error"))
            #expect(html.contains("&#39;lots&#39;") || html.contains("'lots'"))
        }
    }

    /// Under a field labelled "Loan amount" the error names the loan amount, then its column.
    @Test func aFieldsErrorNamesTheInputInTheFormsWords() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let response = try await session.postForm("/applicants", ["model": "lending-club", "funded_amnt": "12.5"])
            #expect(response.status == .unprocessableContent)
            let html = ReasonTests.unescaped(String(buffer: response.body))
            #expect(html.contains("<p class=\"error\">Loan amount (funded_amnt) must be a whole number"), "\(html.components(separatedBy: "class=\"error\"").dropFirst().first ?? "no error")")
            #expect(!html.contains("'funded_amnt' must"))
        }
    }

    @Test func retentionDeletesOldBatches() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        let store = BatchStore(database: database)
        let app = try await TestApp.make(TestApp.configuration(), database: database)
        let location = try await app.test(.router) { client in
            let session = try await Session(client)
            let upload = try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "a.csv")
            return try #require(upload.headers[.location])
        }
        let id = String(location.dropFirst("/batches/".count))
        #expect(try await store.summary(id: id) != nil)
        #expect(try await store.deleteCreated(before: Date().addingTimeInterval(-86_400)) == 0)
        #expect(try await store.deleteCreated(before: Date().addingTimeInterval(60)) == 1)
        #expect(try await store.summary(id: id) == nil)
        #expect(try await store.export(batch: id) == nil)
    }

    @Test func aLiveServerServesPagesOnARealPort() async throws {
        let app = try await TestApp.make()
        try await app.test(.live) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Score a file of loan applicants"))
            let css = try await client.execute(uri: "/static/style.css", method: .get)
            #expect(css.status == .ok)
        }
    }

    static func csv(_ url: URL) throws -> ([String], [[String]]) {
        let reader = try CSVReader(url: url)
        let header = try reader.readHeader()
        var rows: [[String]] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { rows.append(record.fields) }
        return (header, rows)
    }
}
