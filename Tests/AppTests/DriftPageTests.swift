import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// A batch's drift: a file whose units changed gets a banner that says what changed, a
/// drift section and drift.json; a file like the training data gets none.
@Suite(.sharingTheCores) struct DriftPageTests {
    static let sample = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")

    /// The sample with `column` transformed.
    static func sample(changing column: String, _ change: (Double) -> Double) throws -> Data {
        let reader = try CSVReader(url: sample)
        let header = try reader.readHeader()
        let index = try #require(header.firstIndex(of: column))
        var bytes: [UInt8] = []
        CSVEncoder.appendRecord(header, to: &bytes)
        var record = CSVRecord()
        while try reader.read(into: &record) {
            var fields = record.fields
            if let value = Double(fields[index]) { fields[index] = String(change(value)) }
            CSVEncoder.appendRecord(fields, to: &bytes)
        }
        return Data(bytes)
    }

    @Test func interestRatesSentAsFractionsRaiseTheBanner() async throws {
        let fractions = try Self.sample(changing: "int_rate") { $0 / 100 }
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            let location = try #require(try await session.upload(fractions, fileName: "fractions.csv", model: "lending-club").headers[.location])
            let page = String(buffer: try await session.get(location).body)
            #expect(page.contains("does not look like the data the model was trained on"))
            #expect(page.contains("Interest rate (int_rate): 100 % of values are below anything seen in training — was it sent as a fraction?"))
            #expect(page.contains("id=\"drift\""))

            let json = try ModelVariants.json(try await session.get(location + "/drift.json"))
            let inputs = try #require(json["inputs"] as? [[String: Any]])
            #expect(inputs.first?["name"] as? String == "int_rate", "ranked by PSI, largest first")
            #expect(inputs.first?["band"] as? String == "major")
            #expect(inputs.first?["below_range_share"] as? Double == 1)
            // Every other input is as in the sample (the training data's own rows).
            #expect(inputs.dropFirst().allSatisfy { $0["band"] as? String != "major" })

            let list = String(buffer: try await session.get("/batches").body)
            #expect(list.contains("#drift\">major</a>"))
        }
    }

    @Test func aFileLikeTheTrainingDataHasNoBanner() async throws {
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            let location = try #require(try await session.upload(try Data(contentsOf: Self.sample), fileName: "sample.csv", model: "lending-club").headers[.location])
            let page = String(buffer: try await session.get(location).body)
            #expect(!page.contains("drift-banner"))
            #expect(page.contains("Inputs against training"))
            let json = try ModelVariants.json(try await session.get(location + "/drift.json"))
            #expect((json["inputs"] as? [[String: Any]])?.count == 21)
            #expect((json["rows"] as? Int ?? 0) > 100)

            // A bare model has no reference: the page says so, and there is no drift.json.
            let bare = try #require(try await session.upload(try Data(contentsOf: TestApp.goldenInput), fileName: "golden.csv").headers[.location])
            #expect(String(buffer: try await session.get(bare).body).contains("has no training reference"))
            #expect(try await session.get(bare + "/drift.json").status == .notFound)
        }
    }
}
