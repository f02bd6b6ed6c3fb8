import Foundation
import Scoring
import Testing

/// TreeSHAP against LightGBM's own `pred_contrib` (contrib.csv beside each golden model).
@Suite struct ContributionTests {
    static let cases = GoldenParityTests.scoredCases.filter { $0 != "linear_tree" }

    @Test(arguments: cases)
    func contributionsMatchLightGBMAndAddUpToTheRawScore(_ name: String) throws {
        let golden = try GoldenParityTests.load(name)
        let contributions = try golden.model.contributions(golden.matrix, threads: 2)
        let width = golden.model.featureCount + 1
        let expected = try Fixtures.readCSV(Fixtures.goldenCase(name).appendingPathComponent("contrib.csv"))
        #expect(expected.header.count == width + 1)  // row, features…, expected_value
        var worst = 0.0
        for (row, values) in expected.rows.enumerated() {
            var sum = 0.0
            for column in 0..<width {
                let mine = contributions[row * width + column]
                let theirs = try #require(Double(values[column + 1]))
                worst = max(worst, abs(mine - theirs))
                sum += mine
            }
            // Additivity: the contributions sum to LightGBM's raw score.
            #expect(abs(sum - golden.raw[row]) <= 1e-9, "\(name) row \(row): sum \(sum) vs raw \(golden.raw[row])")
        }
        #expect(worst <= 1e-9, "\(name): largest difference from pred_contrib \(worst)")
    }

    @Test func linearModelsAreRefused() throws {
        let golden = try GoldenParityTests.load("linear_tree")
        #expect(throws: ExplanationError.self) { try golden.model.contributions(golden.matrix) }
    }
}
