import Foundation
import Scoring
import Testing

/// A scorecard's reasons: points lost against each characteristic's best bin, in log-odds.
@Suite struct ScorecardExplanationTests {
    @Test(arguments: ScorecardFixtures.cases)
    func contributionsAddUpToTheRawScore(_ name: String) throws {
        let golden = try ScorecardFixtures.load(name)
        let model = golden.model
        let raw = model.rawScores(golden.matrix, threads: 1)
        let contributions = try model.contributions(golden.matrix, threads: 2)
        let width = model.featureCount + 1
        #expect(contributions.count == golden.matrix.rowCount * width)
        for row in 0..<golden.matrix.rowCount {
            let values = contributions[(row * width)..<((row + 1) * width)]
            let sum = values.reduce(0, +)
            #expect(abs(sum - raw[row]) <= 1e-12 * max(1, abs(raw[row])), "\(name) row \(row): \(sum) vs \(raw[row])")
            #expect(values.last == model.rawScores(Self.perfect(model), threads: 1)[0])
        }
    }

    /// A perfect applicant (every characteristic in its best bin) loses nothing: every
    /// contribution is zero and the raw score is the expected value.
    @Test(arguments: ScorecardFixtures.cases)
    func aPerfectApplicantLosesNoPoints(_ name: String) throws {
        let model = try ScorecardModel(data: ScorecardFixtures.document(name))
        let matrix = Self.perfect(model)
        let contributions = try model.contributions(matrix, threads: 1)
        #expect(contributions.dropLast().allSatisfy { $0 == 0 })
        #expect(model.totalPoints(matrix, row: 0) == model.bestTotalPoints)
        #expect(contributions.last == model.rawScores(matrix, threads: 1)[0])
    }

    /// The top reason is the characteristic where the most points were lost against its best
    /// bin: contributions rank exactly as points lost do.
    @Test(arguments: ScorecardFixtures.cases)
    func reasonsRankByPointsLost(_ name: String) throws {
        let golden = try ScorecardFixtures.load(name)
        let model = golden.model
        let contributions = try model.contributions(golden.matrix, threads: 1)
        let best = model.characteristicPoints(Self.perfect(model), row: 0)
        let width = model.featureCount + 1
        let odds = model.odds
        for row in 0..<golden.matrix.rowCount {
            let lost = zip(best, model.characteristicPoints(golden.matrix, row: row)).map { odds.higherIsSafer ? $0 - $1 : $1 - $0 }
            let reasons = Array(contributions[(row * width)..<((row + 1) * width - 1)])
            let byPoints = lost.indices.sorted { (lost[$0], -$0) > (lost[$1], -$1) }
            let byContribution = reasons.indices.sorted { (reasons[$0], -$0) > (reasons[$1], -$1) }
            #expect(byPoints == byContribution, "\(name) row \(row)")
            for (c, l) in zip(reasons, lost) { #expect(c == l / odds.factor) }
        }
    }

    /// One row putting every characteristic in its best bin: a value inside the bin with the
    /// most points (a label of it, or a number between its edges).
    static func perfect(_ model: ScorecardModel) -> FeatureMatrix {
        var matrix = FeatureMatrix(featureCount: model.featureCount)
        matrix.appendMissingRow()
        let labels = model.categoryLabels
        for f in 0..<model.featureCount {
            let bins = model.bins(of: f)
            guard let best = bins.indices.max(by: { better(bins[$1].points, than: bins[$0].points, model) }) else { continue }
            if let categories = labels[f], let label = bins[best].labels.first {
                matrix[0, f] = Double(categories.firstIndex(of: label) ?? 0)
            } else {
                let (lower, upper) = (bins[best].lower ?? .nan, bins[best].upper ?? .nan)
                matrix[0, f] = lower.isFinite ? lower + (upper.isFinite ? (upper - lower) / 2 : 1) : upper - 1
            }
        }
        return matrix
    }

    private static func better(_ a: Double, than b: Double, _ model: ScorecardModel) -> Bool {
        model.odds.higherIsSafer ? a > b : a < b
    }
}
