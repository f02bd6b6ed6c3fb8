import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The challenger page leads with the decisions that differ: counted, the largest change
/// first, each applicant named by the file's id; and it says when the two policies' cut-offs
/// differ, since a flip may then come from the cut-offs alone.
@Suite(.sharingTheCores) struct ChallengerFlipsTests {
    @Test func theFlipsComeFirstNamedByIdWithTheCutoffsThatDiffer() async throws {
        // Another sigmoid and a lower approve cut-off: probabilities and decisions both move.
        let variant = try ModelVariants.lendingClub(version: "1.3.0", sigmoid: "0.95", approveBelow: 0.048)
        let championBundle = try ModelBundle(directory: ModelVariants.lendingClub)
        let challengerBundle = try variant.load()
        let sample = try Data(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
        // What the library decides for the sample, row by row, with each applicant's id.
        let reader = CSVReader(data: sample)
        let header = try reader.readHeader()
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        let mapping = try ColumnMapping(header: header, schema: championBundle.schema)
        let a = BatchScorer(bundle: championBundle).score(records: records[...], mapping: mapping)
        let b = BatchScorer(bundle: challengerBundle).score(records: records[...], mapping: mapping)
        let idColumn = try #require(header.firstIndex(of: "applicant_id"))
        let rank = ["approve": 0, "review": 1, "decline": 2]
        let flipped = records.indices.filter { a[$0].probability != nil && b[$0].probability != nil && a[$0].decision != b[$0].decision }
        #expect(!flipped.isEmpty, "a lower approve cut-off turns some approvals into reviews")
        // The largest change first: two steps before one, then the difference in probability.
        func size(_ i: Int) -> (Int, Double) {
            (abs((rank[a[i].decision?.rawValue ?? ""] ?? 0) - (rank[b[i].decision?.rawValue ?? ""] ?? 0)),
             abs((b[i].probability ?? 0) - (a[i].probability ?? 0)))
        }
        let largest = try #require(flipped.max { size($0) < size($1) })
        let ids = records.map { $0.fields[idColumn] }
        let pairs = records.indices.filter { a[$0].probability != nil && b[$0].probability != nil }.count

        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            #expect(try await ModelVariants.register(variant, with: client) == .created)
            #expect(try await ModelVariants.setAlias("challenger", to: "1.3.0", with: client).status == .ok)
            let uploaded = try await session.upload(sample, fileName: "sample.csv", model: "lending-club")
            let batchID = String(try #require(uploaded.headers[.location]).split(separator: "/").last ?? "")

            let comparison = try await Eventually.poll({
                try ModelVariants.json(try await client.execute(uri: "/admin/v1/models/lending-club/challenger", method: .get, headers: TestApp.adminHeaders))
            }, until: { $0["pairs"] as? Int == pairs })
            #expect(comparison["flipped_count"] as? Int == flipped.count)
            let listed = try #require(comparison["flipped"] as? [[String: Any]])
            #expect(listed.count == min(flipped.count, 50))
            #expect(listed.first?["applicant_id"] as? String == ids[largest])
            #expect(listed.allSatisfy { $0["champion_decision"] as? String != $0["challenger_decision"] as? String })

            let page = String(buffer: try await session.get("/models/lending-club/challenger").body)
            // The flips lead: before the agreement table, counted against every pair.
            let flips = try #require(page.range(of: "Decisions that differ"))
            let agreement = try #require(page.range(of: "id=\"agreement\""))
            #expect(flips.lowerBound < agreement.lowerBound)
            #expect(page.contains("\(flipped.count) of \(pairs) decisions differ"))
            // Applicants by the file's id, linked to their rows; no "batch …, row n".
            let lead = page[flips.lowerBound..<agreement.lowerBound]
            #expect(lead.contains("<a href=\"/batches/\(batchID)/rows/\(largest + 1)\">\(ids[largest])</a>"))
            #expect(!page.contains("batch \(batchID), row"))
            // The cut-offs, since they differ.
            let champion = Formatting.percent(championBundle.policy.approveBelow)
            #expect(page.contains("the challenger approves below 4.80 % and declines from \(Formatting.percent(championBundle.policy.declineAtOrAbove)); the champion approves below \(champion)"))
        }
    }
}
