@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// Uploaded columns beside the results (#15): shown with the file's values, searched, taken
/// into the download's filter, and remembered for the model. Runs on both databases (the cell
/// lookups are each engine's JSON functions).
@Suite(.sharingTheCores) struct ShownColumnsTests {
    /// The golden input's header and rows as the file has them.
    static func goldenCells() throws -> (header: [String], rows: [[String]]) {
        let reader = CSVReader(data: try Data(contentsOf: TestApp.goldenInput))
        let header = try reader.readHeader()
        var record = CSVRecord()
        var rows: [[String]] = []
        while try reader.read(into: &record) { rows.append(record.fields) }
        return (header, rows)
    }

    static func uploadedHeaders(_ html: String) -> [String] {
        html.matches(of: /<th scope="col" class="(?:num)? uploaded" data-key="col-([^"]+)">/).map { String($0.1) }
    }

    static func cells(_ html: String, column: String) -> [String] {
        html.matches(of: /<td class="uploaded(?: num)?" data-label="([^"]+)">([^<]*)<\/td>/).filter { $0.1 == column }.map { String($0.2) }
    }

    @Test func chosenColumnsAreShownSearchedExportedAndRemembered() async throws {
        let app = try await TestApp.make()
        let (header, rows) = try Self.goldenCells()
        let zip = try #require(header.firstIndex(of: "zip3"))
        let region = try #require(header.firstIndex(of: "region"))
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "applicants.csv"))

            // In the order asked, unknown names dropped; each row shows its own cells.
            let shown = try await session.get(location + "?col=zip3&col=no_such_column&col=region")
            let html = String(buffer: shown.body)
            #expect(Self.uploadedHeaders(html) == ["zip3", "region"])
            #expect(Self.cells(html, column: "zip3") == rows.prefix(RowQuery.pageSize).map { $0[zip] })
            #expect(Self.cells(html, column: "region") == rows.prefix(RowQuery.pageSize).map { $0[region] })
            let remembered = try #require(shown.headers[.setCookie])
            #expect(remembered.hasPrefix("columns-mixed_realistic=zip3&region;"))

            // The search looks in the shown columns (any case), and the download keeps exactly those rows.
            let needle = String(rows[0][zip].prefix(3)).uppercased()
            let expected = rows.indices.filter { rows[$0][zip].uppercased().contains(needle) || rows[$0][region].uppercased().contains(needle) }
            #expect(!expected.isEmpty && expected.count < rows.count)
            let csv = String(buffer: try await session.postForm(location + "/results.csv?col=zip3&col=region", ["q": needle]).body)
            let kept = csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            #expect(kept.count == expected.count)
            let page = String(buffer: try await session.postForm(location + "?col=zip3&col=region", ["q": needle]).body)
            #expect(page.contains("<span class=\"count\">\(expected.count) match"))
            // A column not on show is not searched (this file has no id column either).
            let hidden = String(buffer: try await session.postForm(location + "/results.csv?col=region", ["q": needle]).body)
            #expect(hidden.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.count
                    == rows.filter { $0[region].uppercased().contains(needle) }.count)

            // A later visit without a query opens with the remembered columns.
            let cookie = session.cookie + "; " + (remembered.split(separator: ";").first.map(String.init) ?? "")
            let again = try await client.execute(uri: location, method: .get, headers: [.cookie: cookie])
            #expect(Self.uploadedHeaders(String(buffer: again.body)) == ["zip3", "region"])
            #expect(again.headers[.setCookie] == nil, "a remembered choice is not sent back again")
            // Ticking none (the form sends its marker) is a choice too, and is remembered.
            let cleared = try await client.execute(uri: location + "?cols=1", method: .get, headers: [.cookie: cookie])
            #expect(Self.uploadedHeaders(String(buffer: cleared.body)).isEmpty)
            #expect(cleared.headers[.setCookie]?.hasPrefix("columns-mixed_realistic=;") == true)
        }
    }
}
