import Foundation
import Scoring
import Testing

/// XGBoostModel against xgboost 3.2.0 itself: margins and probabilities to the last bit,
/// contributions within XGBoost's own float32 rounding.
@Suite struct XGBoostParityTests {
    @Test(arguments: XGBoostFixture.cases)
    func marginsAndProbabilitiesAreBitExact(_ name: String) throws {
        let fixture = try XGBoostFixture(name)
        for threads in [1, 2] {
            let raw = fixture.json.rawScores(fixture.matrix, threads: threads)
            var wrong: [String] = []
            for (row, score) in raw.enumerated() {
                let margin = Float(score)
                #expect(Double(margin) == score)  // the margin is a float32 widened
                let probability = Float(fixture.json.probability(rawScore: score))
                if margin.bitPattern != fixture.margins[row] || probability.bitPattern != fixture.probabilities[row] {
                    wrong.append("row \(row): margin \(margin) vs \(Float(bitPattern: fixture.margins[row])), "
                        + "probability \(probability) vs \(Float(bitPattern: fixture.probabilities[row]))")
                }
            }
            #expect(wrong.isEmpty, "\(name), \(threads) threads: \(wrong.count) rows differ; \(wrong.prefix(5))")
        }
    }

    @Test(arguments: XGBoostFixture.cases)
    func singleRowsWalkToTheSameBits(_ name: String) throws {
        // Up to four rows are walked one by one instead of partitioned as a block.
        let fixture = try XGBoostFixture(name)
        for row in 0..<fixture.matrix.rowCount {
            var one = FeatureMatrix(featureCount: fixture.matrix.featureCount)
            one.appendRow(fixture.matrix.row(row))
            let score = try #require(fixture.json.rawScores(one, threads: 1).first)
            #expect(Float(score).bitPattern == fixture.margins[row], "\(name) row \(row)")
        }
    }

    @Test(arguments: XGBoostFixture.cases)
    func jsonAndUBJSONAreTheSameModel(_ name: String) throws {
        let fixture = try XGBoostFixture(name)
        #expect(fixture.json.featureNames == fixture.ubjson.featureNames)
        #expect(fixture.json.categoryLabels == fixture.ubjson.categoryLabels)
        #expect(fixture.json.baseMargin.bitPattern == fixture.ubjson.baseMargin.bitPattern)
        let a = fixture.json.rawScores(fixture.matrix, threads: 1)
        let b = fixture.ubjson.rawScores(fixture.matrix, threads: 1)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        #expect(try fixture.json.contributions(fixture.matrix) == fixture.ubjson.contributions(fixture.matrix))
    }

    @Test(arguments: XGBoostFixture.cases)
    func contributionsMatchPredContribs(_ name: String) throws {
        let fixture = try XGBoostFixture(name)
        let model = fixture.json
        let width = model.featureCount + 1
        let contributions = try model.contributions(fixture.matrix, threads: 2)
        var worst = 0.0
        var worstSum = 0.0
        for (row, theirs) in fixture.contributions.enumerated() {
            #expect(theirs.count == width)
            var sum = 0.0
            for column in 0..<width {
                let mine = contributions[row * width + column]
                worst = max(worst, abs(mine - theirs[column]))
                sum += mine
            }
            worstSum = max(worstSum, abs(sum - Double(Float(bitPattern: fixture.margins[row]))))
        }
        print("XGBoost \(name): largest difference from pred_contribs \(worst), from the margin \(worstSum)")
        #expect(worst <= 1e-5, "\(name): largest difference from pred_contribs \(worst)")
        #expect(worstSum <= 1e-5, "\(name): contributions add up to the margin within \(worstSum)")
    }
}
