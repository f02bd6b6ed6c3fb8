import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// Shadow scoring: with a challenger set, answers stay the champion's while every applicant
/// is also scored by the challenger, and the comparison is what the library gives.
@Suite(.sharingTheCores) struct ChallengerTests {
    @Test func theChallengerScoresInTheShadowAndTheComparisonAddsUp() async throws {
        let variant = try ModelVariants.lendingClub(version: "1.1.0", sigmoid: "0.6")
        let champion = BatchScorer(bundle: try ModelBundle(directory: ModelVariants.lendingClub))
        let challenger = BatchScorer(bundle: try variant.load())
        let samplePath = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")
        let sample = try Data(contentsOf: samplePath)
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            #expect(String(buffer: try await session.get("/models/lending-club/challenger").body).contains("has no challenger"))
            #expect(try await ModelVariants.register(variant, with: client) == .created)
            #expect(try await ModelVariants.setAlias("challenger", to: "1.1.0", with: client).status == .ok)

            // Answers are still the champion's.
            for _ in 0..<3 { #expect(try await RegistryTests.predict(client).version == "2.1.0") }
            let uploaded = try await session.upload(sample, fileName: "sample.csv", model: "lending-club")
            let batchID = String(try #require(uploaded.headers[.location]).split(separator: "/").last ?? "")

            // What the library gives for the same applicants.
            let reader = CSVReader(data: sample)
            let header = try reader.readHeader()
            var records: [CSVRecord] = []
            var record = CSVRecord()
            while try reader.read(into: &record) { records.append(record) }
            let mapping = try ColumnMapping(header: header, schema: champion.schema)
            let a = champion.score(records: records[...], mapping: mapping)
            let b = challenger.score(records: records[...], mapping: mapping)
            let json = try JSONReader.parse(Array(try Data(contentsOf: TestApp.root.appendingPathComponent("examples/lending-club-one.json"))))
            let one = ApplicantJSON(schema: champion.schema).parse([ApplicantFields(json)]).cells
            let (oneA, oneB) = (champion.score(applicants: one)[0], challenger.score(applicants: one)[0])
            var championP = a.compactMap(\.probability) + Array(repeating: try #require(oneA.probability), count: 3)
            var challengerP = b.compactMap(\.probability) + Array(repeating: try #require(oneB.probability), count: 3)
            let expectedPairs = championP.count

            let comparison = try await Eventually.poll({
                try ModelVariants.json(try await client.execute(uri: "/admin/v1/models/lending-club/challenger", method: .get, headers: TestApp.adminHeaders))
            }, until: { $0["pairs"] as? Int == expectedPairs })
            #expect(comparison["pairs"] as? Int == expectedPairs)
            #expect(comparison["champion"] as? String == "2.1.0" && comparison["challenger"] as? String == "1.1.0")

            // The 3×3 table and agreement, counted from the library's decisions.
            let decisions = ["approve", "review", "decline"]
            var flips = [[Int]](repeating: [0, 0, 0], count: 3)
            for (x, y) in zip(a, b) where x.probability != nil {
                flips[try #require(decisions.firstIndex(of: x.decision?.rawValue ?? ""))][try #require(decisions.firstIndex(of: y.decision?.rawValue ?? ""))] += 1
            }
            flips[try #require(decisions.firstIndex(of: oneA.decision?.rawValue ?? ""))][try #require(decisions.firstIndex(of: oneB.decision?.rawValue ?? ""))] += 3
            #expect(comparison["flips"] as? [[Int]] == flips)
            let same = (0..<3).map { flips[$0][$0] }.reduce(0, +)
            #expect(abs((comparison["agreement"] as? Double ?? -1) - Double(same) / Double(expectedPairs)) < 1e-12)
            #expect(same < expectedPairs, "a sigmoid of 0.6 moves some decisions")
            let psi = try #require(comparison["score_psi"] as? Double)
            #expect(abs(psi - PopulationStability.index(expectedValues: championP, actualValues: challengerP)) < 1e-9)
            championP.removeAll()
            challengerP.removeAll()

            // Largest differences first, each the library's pair for that row.
            let differences = try #require(comparison["largest_differences"] as? [[String: Any]])
            #expect(differences.count == 10)
            var previous = Double.infinity
            for difference in differences {
                let p = try #require(difference["champion_probability"] as? Double)
                let q = try #require(difference["challenger_probability"] as? Double)
                #expect(abs(q - p) <= previous + 1e-15)
                previous = abs(q - p)
                if difference["channel"] as? String == "batch" {
                    #expect(difference["request_id"] as? String == batchID)
                    let row = try #require(difference["row_number"] as? Int)
                    #expect(abs(p - (a[row - 1].probability ?? .nan)) < 1e-12)
                    #expect(abs(q - (b[row - 1].probability ?? .nan)) < 1e-12)
                }
            }

            let page = String(buffer: try await session.get("/models/lending-club/challenger").body)
            #expect(page.contains("\(expectedPairs) applicants scored by both"))
            #expect(page.contains("/batches/\(batchID)/rows/"))
            // Cleared: answers unchanged, the page says there is none.
            #expect(try await client.execute(uri: "/admin/v1/models/lending-club/aliases/challenger", method: .delete, headers: TestApp.adminHeaders).status == .noContent)
            #expect(String(buffer: try await session.get("/models/lending-club/challenger").body).contains("has no challenger"))
        }
    }
}
