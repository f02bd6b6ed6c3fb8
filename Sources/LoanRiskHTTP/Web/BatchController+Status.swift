import Foundation
import LoanRiskCore
import Scoring

extension BatchController {
    /// The warnings of the scored rows on screen, worded as the row page words them (each
    /// input by its business name first: "Interest rate (int_rate) was not provided: …"),
    /// from the issues stored with the rows' features. The stored status keeps the raw names,
    /// as the results file and the API do; a row whose features are not written yet (just
    /// after an upload), or an invalid row, keeps it on the page too.
    func wordedStatuses(_ rows: [StoredRow], batch id: String, schema: FeatureSchema?) async throws -> [Int: String] {
        guard let schema else { return [:] }
        let warned = rows.filter { $0.state == "warning" }.map(\.rowNumber)
        guard !warned.isEmpty else { return [:] }
        let features = try await store.features(batch: id, rows: warned)
        var worded: [Int: String] = [:]
        for number in warned {
            guard let issues = features[number]?.issues, !issues.isEmpty else { continue }
            worded[number] = RowOutcome(probability: nil, decision: nil, score: nil, issues: issues).status(in: schema)
        }
        return worded
    }
}
