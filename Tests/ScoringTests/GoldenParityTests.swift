import Foundation
import Scoring
import Testing

/// Native predictions against the real LightGBM 4.7's, on models that use every feature of
/// the text format (see Fixtures/golden/README.md; `training/golden/make_golden.py` makes them).
@Suite struct GoldenParityTests {
    static let scoredCases = [
        "numeric_missing_nan", "numeric_missing_zero", "numeric_missing_none", "categorical_pandas_many_levels",
        "categorical_integer_codes", "sigmoid_not_one", "random_forest", "stumps", "mixed_realistic", "linear_tree",
    ]

    struct Golden {
        let model: LightGBMModel
        let raw: [Double]
        let probability: [Double]
        let matrix: FeatureMatrix
        let issues: [[FieldIssue]]
    }

    static func load(_ name: String) throws -> Golden {
        let dir = Fixtures.goldenCase(name)
        let model = try LightGBMModel(contentsOf: dir.appendingPathComponent("model.txt"))
        let scorer = BatchScorer(bundle: ModelBundle(bareModel: model, name: name)).modelOnly()
        let (header, records) = try Fixtures.readRecords(dir.appendingPathComponent("input.csv"))
        let mapping = try ColumnMapping(header: header, schema: scorer.schema)
        let (matrix, issues) = scorer.encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        let expected = try Fixtures.readCSV(dir.appendingPathComponent("expected.csv"))
        let rawColumn = try #require(expected.header.firstIndex(of: "raw_score"))
        let pColumn = try #require(expected.header.firstIndex(of: "probability"))
        return Golden(
            model: model,
            raw: expected.rows.map { Double($0[rawColumn]) ?? .nan },
            probability: expected.rows.map { Double($0[pColumn]) ?? .nan },
            matrix: matrix, issues: issues)
    }

    @Test(arguments: scoredCases)
    func probabilitiesMatchLightGBMBitForBit(_ name: String) throws {
        let golden = try Self.load(name)
        #expect(golden.matrix.rowCount == golden.probability.count)
        #expect(golden.issues.allSatisfy { $0.allSatisfy { $0.severity == .warning } }, "golden rows are all scorable")
        let probabilities = golden.model.probabilities(golden.matrix, threads: 2)
        var worst = 0.0
        for (row, (mine, theirs)) in zip(probabilities, golden.probability).enumerated() {
            worst = max(worst, abs(mine - theirs))
            #expect(mine.bitPattern == theirs.bitPattern, "\(name) row \(row): \(mine) vs LightGBM \(theirs)")
        }
        #expect(worst <= 1e-12)
    }

    @Test(arguments: scoredCases)
    func rawScoresMatchLightGBM(_ name: String) throws {
        let golden = try Self.load(name)
        let raw = golden.model.rawScores(golden.matrix, threads: 1)
        // LightGBM's raw_score output does not divide by the number of trees in random-forest
        // mode (only `predict` does); ours is the averaged margin, so compare like with like.
        let divisor = golden.model.averageOutput ? Double(golden.model.trees.count) : 1
        for (row, (mine, theirs)) in zip(raw, golden.raw).enumerated() {
            #expect(mine.bitPattern == (theirs / divisor).bitPattern, "\(name) row \(row): \(mine) vs \(theirs / divisor)")
        }
    }

    @Test func threadCountDoesNotChangeResults() throws {
        let golden = try Self.load("mixed_realistic")
        var big = FeatureMatrix(featureCount: golden.matrix.featureCount)
        for copy in 0..<40 {
            for row in 0..<golden.matrix.rowCount { big.appendRow(golden.matrix.row((row + copy) % golden.matrix.rowCount)) }
        }
        let one = golden.model.rawScores(big, threads: 1)
        let many = golden.model.rawScores(big, threads: 4)
        #expect(one.map(\.bitPattern) == many.map(\.bitPattern))
    }
}
