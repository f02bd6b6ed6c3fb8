@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Saved views (#32): named per model, stored on the engine in use (SQLite, or PostgreSQL with
/// `LOANRISK_TEST_DATABASE_URL`), opened on any batch of their model, never holding a search;
/// and the search itself, which travels only in a posted form's body.
@Suite(.sharingTheCores) struct SavedViewsTests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// Posts `body` (url-encoded pairs, repeats kept) as the page's script does, asking for JSON.
    static func post(_ session: Session, _ uri: String, _ pairs: [(String, String)], json: Bool = true, token: String? = nil) async throws -> TestResponse {
        let body = ([("csrf", token ?? session.token)] + pairs).map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
        }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: session.cookie]
        if json { headers[.accept] = "application/json" }
        return try await session.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func theStoreValidatesNamesAndKeepsOneNamePerModelInAnyCase() async throws {
        let configuration = TestApp.configuration()
        let store = SavedViewStore(database: try await TestApp.database(configuration))
        let saved = try await store.create(modelName: "m", name: "  Declines   over 30 % ", query: "decision=decline&pmin=30").get()
        #expect(saved.name == "Declines over 30 %")
        #expect(saved.id.count == 10 && SavedView.isWellFormed(saved.id))
        #expect(try await store.create(modelName: "m", name: "declines OVER 30 %", query: "") == .failure(.duplicate(name: "Declines over 30 %", model: "m")))
        // The same name is free for another model.
        let other = try await store.create(modelName: "n", name: "Declines over 30 %", query: "sort=score").get()
        #expect(try await store.create(modelName: "m", name: " \t ", query: "") == .failure(.emptyName))
        #expect(try await store.create(modelName: "m", name: String(repeating: "x", count: 61), query: "") == .failure(.nameTooLong(61)))
        #expect(try await store.create(modelName: "m", name: "two\nlines", query: "") == .failure(.controlCharacters))
        #expect(SavedViewError.duplicate(name: "A", model: "m").message == "A view named “A” already exists for m. Choose another name, or delete that view first.")
        let second = try await store.create(modelName: "m", name: "approvals", query: "decision=approve").get()
        #expect(try await store.list(modelName: "m").map(\.name) == ["approvals", "Declines over 30 %"])
        #expect(try await store.find(id: saved.id)?.query == "decision=decline&pmin=30")
        #expect(try await store.find(id: "no such id!") == nil)
        #expect(try await store.delete(id: second.id)?.name == "approvals")
        #expect(try await store.delete(id: second.id) == nil)
        #expect(try await store.list(modelName: "m").map(\.id) == [saved.id])
        #expect(try await store.list(modelName: "n").map(\.id) == [other.id])
    }

    @Test func aViewSavedOnOneBatchOpensOnAnotherOfItsModelWithoutItsSearch() async throws {
        let app = try await TestApp.make()
        let input = try Data(contentsOf: TestApp.goldenInput)
        try await app.test(.router) { client in
            let session = try await Session(client)
            let first = try UploadTests.batchLocation(try await session.upload(input, fileName: "first.csv"))
            let second = try UploadTests.batchLocation(try await session.upload(input, fileName: "second.csv"))
            let model = "mixed_realistic"

            // Saved from the first batch, with a search that must not be kept.
            let created = try await Self.post(session, first + "/views", [
                ("name", "Worst declines"), ("sort", "probability"), ("dir", "desc"), ("decision", "decline"),
                ("pmin", "20"), ("col", "zip3"), ("q", "secret-applicant"), ("page", "3"),
            ])
            #expect(created.status == .created)
            let view = try Self.json(created)
            let id = try #require(view["id"] as? String)
            let query = try #require(view["query"] as? String)
            #expect(query == "sort=probability&dir=desc&decision=decline&pmin=20&col=zip3")
            #expect(view["link"] as? String == "\(first)?view=\(id)")
            #expect(view["description"] as? String == "Only decision decline, probability of default at least 20 %, by probability of default, highest first; columns zip3.")
            #expect(!String(buffer: created.body).contains("secret"))

            // Listed for the model, and on the other batch's page.
            let listed = try await session.get("/models/\(model)/views.json")
            #expect(String(buffer: listed.body).contains("\"name\":\"Worst declines\""))
            let page = String(buffer: try await session.get(second).body)
            #expect(page.contains("<a href=\"\(second)?view=\(id)\">Worst declines</a>"))
            #expect(page.contains("The search is not saved"))

            // Its link opens it on the second batch, for another analyst too (a fresh session).
            let other = try await Session(client)
            let opened = try await other.get(second + "?view=\(id)")
            #expect(opened.status == .seeOther)
            let location = try #require(opened.headers[.location])
            #expect(location == "\(second)?\(query)")
            let shown = String(buffer: try await other.get(location).body)
            #expect(shown.contains("<option value=\"decline\" selected>decline</option>"))
            #expect(shown.contains("data-key=\"col-zip3\""))
            #expect(shown.contains("Only decision decline, probability of default at least 20 %"))

            // Names: a duplicate in another case, an empty one — clear messages, nothing saved.
            let duplicate = try await Self.post(session, second + "/views", [("name", "worst DECLINES")])
            #expect(duplicate.status == .conflict)
            #expect(try Self.json(duplicate)["error"] as? String
                    == "A view named “Worst declines” already exists for \(model). Choose another name, or delete that view first.")
            let empty = try await Self.post(session, second + "/views", [("name", "  ")])
            #expect(empty.status == .badRequest)
            #expect(try Self.json(empty)["error"] as? String == "Give the view a name.")
            // Without script: a redirect to the view, or the error page.
            let plain = try await Self.post(session, second + "/views", [("name", "No filters")], json: false)
            #expect(plain.status == .seeOther)
            #expect(plain.headers[.location]?.hasPrefix("\(second)?view=") == true)
            let refused = try await Self.post(session, second + "/views", [("name", "no FILTERS")], json: false)
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("already exists for \(model)"))
            // A form that did not come from the page is refused.
            #expect(try await Self.post(session, second + "/views", [("name", "Forged")], token: String(repeating: "0", count: 64)).status == .forbidden)

            // A view of another model does not open here, and says why.
            let sample = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")
            let lending = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: sample), fileName: "lc.csv", model: "lending-club"))
            let wrong = try await session.get(lending + "?view=\(id)")
            #expect(wrong.status == .conflict)
            #expect(String(buffer: wrong.body).contains("is for batches scored with \(model); this one was scored with lending-club"))

            // Deleted: its link then says so.
            let deleted = try await Self.post(session, "/views/\(id)/delete", [])
            #expect(deleted.status == .ok)
            #expect(try await session.get(second + "?view=\(id)").status == .notFound)
            let back = try await Self.post(session, "/views/\(id)/delete", [("back", first)], json: false)
            #expect(back.status == .notFound)
        }
    }

    @Test func theSearchTravelsOnlyInAPostedBody() async throws {
        let app = try await TestApp.make()
        let (header, rows) = try ShownColumnsTests.goldenCells()
        let region = try #require(header.firstIndex(of: "region"))
        let needle = rows[0][region]
        let expected = rows.filter { $0[region].localizedCaseInsensitiveContains(needle) }.count
        #expect(expected > 0 && expected < rows.count)
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "a.csv"))

            // Posted: the page of the searched view; no link, field or address of it holds the term
            // but the search box and the searched download's form.
            let searched = try await Self.post(session, location + "?col=region&sort=score", [("q", needle), ("decision", "")], json: false)
            #expect(searched.status == .ok)
            let page = String(buffer: searched.body)
            #expect(page.contains("<span class=\"count\">\(expected) match"))
            #expect(!page.contains("q=\(needle)") && !page.contains("q=\(needle.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? needle)"))
            #expect(page.contains("name=\"q\" value=\"\(needle)\""))
            #expect(page.contains("id=\"results-download-search\""))
            #expect(page.contains("a search (not printed)"))
            // The posted download holds the same rows.
            let csv = String(buffer: try await Self.post(session, location + "/results.csv?col=region", [("q", needle)], json: false).body)
            #expect(csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.count == expected)

            // A term in an address is ignored: every row.
            let addressed = String(buffer: try await session.get(location + "?col=region&q=\(needle)").body)
            #expect(addressed.contains("<span class=\"count\">\(rows.count) match"))
            #expect(!addressed.contains("value=\"\(needle)\""))

            // Posted without a term (the form without script): a redirect to the view's address.
            let plain = try await Self.post(session, location, [("q", " "), ("decision", "decline"), ("pmin", ""), ("sort", "score"), ("dir", "desc")], json: false)
            #expect(plain.status == .seeOther)
            #expect(plain.headers[.location] == "\(location)?decision=decline&sort=score&dir=desc")
            // Without the page's token: refused.
            let forged = try await Self.post(session, location, [("q", needle)], json: false, token: String(repeating: "0", count: 64))
            #expect(forged.status == .forbidden)
        }
    }
}
