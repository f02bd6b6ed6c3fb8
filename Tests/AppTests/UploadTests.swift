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

@Suite(.sharingTheCores) struct UploadTests {
    /// The results CSV the Scoring library (and so `loanrisk score`) produces for a file.
    static func libraryResults(for input: URL, model: URL) throws -> [UInt8] {
        let bundle = try ModelBundle(location: model)
        let reader = try CSVReader(url: input)
        let header = try reader.readHeader()
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        var bytes: [UInt8] = []
        CSVEncoder.appendRecord(ResultsCSV.header(inputHeader: header), to: &bytes)
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        for (record, outcome) in zip(records, BatchScorer(bundle: bundle).score(records: records[...], mapping: mapping)) {
            ResultsCSV.appendRow(record: record, outcome: outcome, modelVersion: bundle.version, to: &bytes)
        }
        return bytes
    }

    static func batchLocation(_ response: TestResponse) throws -> String {
        #expect(response.status == .seeOther)
        return try #require(response.headers[.location])
    }

    @Test func uploadRedirectsToAResultsPageThatSortsFiltersAndDownloads() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let upload = try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "applicants.csv")
            let location = try Self.batchLocation(upload)
            #expect(location.hasPrefix("/batches/"))

            let page = try await session.get(location)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("applicants.csv"))
            #expect(html.contains("<svg class=\"chart portfolio\""))
            #expect(html.contains("Page 1 of 4"))   // 200 rows, 50 a page
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)

            // Sorted by probability, highest first: the percentages on the page descend.
            let sorted = String(buffer: try await session.get(location + "?sort=probability&dir=desc").body)
            let percentages = Self.probabilities(in: sorted)
            #expect(percentages.count == 50)
            #expect(percentages == percentages.sorted(by: >))

            // Filtered to declines: every badge on the page is a decline.
            let declines = String(buffer: try await session.get(location + "?decision=decline").body)
            #expect(declines.contains("badge decline"))
            #expect(!declines.contains("badge approve"))

            // The download: the same bytes as the library's results, and gzip when asked.
            let csv = try await session.get(location + "/results.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let expected = try Self.libraryResults(for: TestApp.goldenInput, model: TestApp.goldenModel)
            #expect(Array(csv.body.readableBytesView) == expected)
            let gzipped = try await session.get(location + "/results.csv", headers: [.acceptEncoding: "gzip, deflate"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            var body = gzipped.body
            #expect(Array(try body.decompress(with: .gzip()).readableBytesView) == expected)
        }
    }

    /// The probabilities in the results table (not the summary's score bands).
    static func probabilities(in html: String) -> [Double] {
        (html.components(separatedBy: "id=\"results\"").last ?? "").components(separatedBy: "data-label=\"Probability of default\">").dropFirst().compactMap { cell in
            let text = cell.prefix { $0 != "<" }
            guard text.hasSuffix(" %") else { return nil }
            return Double(text.dropLast(2))
        }
    }

    @Test func aGzippedUploadIsReadToo() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            var plain = ByteBuffer(data: try Data(contentsOf: TestApp.goldenInput))
            let gz = try plain.compress(with: .gzip())
            let location = try Self.batchLocation(try await session.upload(Data(gz.readableBytesView), fileName: "applicants.csv.gz"))
            let csv = try await session.get(location + "/results.csv")
            #expect(Array(csv.body.readableBytesView) == (try Self.libraryResults(for: TestApp.goldenInput, model: TestApp.goldenModel)))
        }
    }

    @Test func theTemplateRoundTrips() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let template = try await session.get("/template.csv")
            #expect(template.status == .ok)
            let location = try Self.batchLocation(try await session.upload(Data(template.body.readableBytesView), fileName: "template.csv"))
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("<span class=\"value\">1</span><span class=\"label\">applicant</span>"))
            #expect(page.contains("<span class=\"value\">0</span><span class=\"label\">invalid rows"))
        }
    }

    @Test(arguments: [
        ("missing columns", Data("foo,bar\n1,2\n".utf8), "missing", "The expected header"),
        ("empty file", Data(), "empty", ""),
        ("header only", Data("x\n".utf8), "missing", ""),
        ("spreadsheet", Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 1, 2]), "CSV UTF-8", ""),
        ("binary", Data([0x41, 0x00, 0x42, 0x0A]), "binary", ""),
    ])
    func wholeFileProblemsReRenderTheUploadPageAndStoreNothing(_ problem: (String, Data, String, String)) async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let response = try await session.upload(problem.1, fileName: "bad.csv")
            #expect(response.status == .unprocessableContent, "\(problem.0)")
            let html = String(buffer: response.body)
            #expect(html.contains("The file could not be scored"), "\(problem.0)")
            #expect(html.contains(problem.2), "\(problem.0): \(html)")
            if !problem.3.isEmpty { #expect(html.contains(problem.3)) }
            #expect(html.contains("<form class=\"card upload\""))
            let list = String(buffer: try await session.get("/batches").body)
            #expect(list.contains("No batches yet"), "\(problem.0) must store nothing")
        }
    }

    @Test func aFileThatIsNotUTF8IsExplainedWithItsLine() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let lines = try String(contentsOf: TestApp.goldenInput, encoding: .utf8).split(separator: "\n")
            var data = Data((lines[0] + "\n" + lines[1] + "\n").utf8)
            data.append(Data(lines[2].utf8).replacingFirstComma(with: [0x2C, 0xE9]))   // a Latin-1 "é"
            data.append(0x0A)
            let response = try await session.upload(data, fileName: "latin1.csv")
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("UTF-8"))
            #expect(html.contains("3"))
        }
    }

    @Test func aHeaderWithoutApplicantsIsExplained() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let header = try String(contentsOf: TestApp.goldenInput, encoding: .utf8).split(separator: "\n")[0]
            let response = try await session.upload(Data((header + "\n").utf8), fileName: "header.csv")
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("no applicants"))
        }
    }

    @Test func aTooLargeFileIs413WithTheLimit() async throws {
        let app = try await TestApp.make(TestApp.configuration(maxUploadMB: 1))
        try await app.test(.router) { client in
            let session = try await Session(client)
            let big = Data(repeating: 0x61, count: 1_200_000)
            let response = try await session.upload(big, fileName: "big.csv")
            #expect(response.status == .contentTooLarge)
            #expect(String(buffer: response.body).contains("1 MB"))
        }
    }

    @Test func anUploadWithoutTheFormTokenIsRefused() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let response = try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "a.csv", token: "forged")
            #expect(response.status == .forbidden)
            #expect(String(buffer: try await session.get("/batches").body).contains("No batches yet"))
        }
    }

    @Test func aBatchCanBeDeletedFromItsPage() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try Self.batchLocation(try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "a.csv"))
            let deleted = try await session.postForm(location + "/delete", [:])
            #expect(deleted.status == .seeOther)
            #expect(try await session.get(location).status == .notFound)
            #expect(try await session.get(location + "/results.csv").status == .notFound)
        }
    }
}

extension Data {
    func replacingFirstComma(with bytes: [UInt8]) -> Data {
        guard let i = firstIndex(of: 0x2C) else { return self }
        var copy = self
        copy.replaceSubrange(i...i, with: bytes)
        return copy
    }
}
