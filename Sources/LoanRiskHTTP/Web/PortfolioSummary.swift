import Foundation
import LoanRiskCore
import Scoring

/// What a lender acts on for a set of applicants (the rows in view, or the whole file): how
/// many of each decision, the defaults to expect (the sum of the probabilities) and the bad
/// rate to expect among those approved, score bands with their expected bad rates, and the
/// distribution of probabilities by decision against the cut-offs. A review case an analyst
/// has decided counts under the analyst's decision (approved or declined after review), so the
/// counts move as cases are decided; the chart keeps the policy's decisions against its cut-offs.
struct PortfolioSummary {
    struct Band {
        let low: Int
        let high: Int
        var count = 0
        var probabilitySum = 0.0
    }

    let rows: Int
    let scored: Int
    var counts: [Decision: Int] = [:]
    var probabilitySums: [Decision: Double] = [:]
    /// Review cases decided by an analyst, by the analyst's decision.
    var afterReview: [Decision: Int] = [:]
    /// Rows the policy referred for review, decided or not.
    var referred = 0
    var expectedDefaults = 0.0
    var bands: [Band] = []
    /// Probabilities, for the histogram.
    let probabilities: [(Double, Decision?)]

    /// `bandWidth`: the score points of one band (the bundle's points to double the odds);
    /// `analyst`: the analysts' decisions on review cases, by row number.
    init(scored rows: [BatchStore.ScoredRow], matching: Int, bandWidth: Int, analyst: [Int: String] = [:]) {
        self.rows = matching
        scored = rows.count
        probabilities = rows.map { ($0.probability, $0.decision.flatMap(Decision.init(rawValue:))) }
        var byBand: [Int: Band] = [:]
        let width = max(bandWidth, 1)
        for row in rows {
            expectedDefaults += row.probability
            if var decision = row.decision.flatMap(Decision.init(rawValue:)) {
                if decision == .review {
                    referred += 1
                    if let decided = analyst[row.rowNumber].flatMap(Decision.init(rawValue:)), decided != .review {
                        afterReview[decided, default: 0] += 1
                        decision = decided
                    }
                }
                counts[decision, default: 0] += 1
                probabilitySums[decision, default: 0] += row.probability
            }
            if let score = row.score {
                let low = Int((Double(score) / Double(width)).rounded(.down)) * width
                byBand[low, default: Band(low: low, high: low + width - 1)].count += 1
                byBand[low]?.probabilitySum += row.probability
            }
        }
        bands = byBand.values.sorted { $0.low > $1.low }
    }

    var invalid: Int { rows - scored }

    /// The batch page's cards, band table and chart for these applicants.
    func view(policy: DecisionPolicy) -> PortfolioView {
        let approved = counts[.approve, default: 0]
        let held = probabilities.filter { p, decision in decision.map { policy.wasHeld(probability: p, decision: $0) } ?? false }.count
        func count(_ decision: Decision) -> String { Formatting.count(counts[decision, default: 0]) }
        func rate(_ decision: Decision) -> String { Formatting.rate(counts[decision, default: 0], of: scored) }
        func after(_ decision: Decision) -> String? { afterReview[decision].map { "\(Formatting.count($0)) after review" } }
        let decided = afterReview.values.reduce(0, +)
        return PortfolioView(
            rows: Formatting.count(rows), rowsNoun: rows == 1 ? "applicant" : "applicants",
            scored: Formatting.count(scored), invalid: Formatting.count(invalid), hasInvalid: invalid > 0,
            expectedDefaults: Formatting.expected(expectedDefaults),
            expectedRate: scored == 0 ? "—" : Formatting.percent(expectedDefaults / Double(scored)),
            approvedBadRate: approved == 0 ? "—" : Formatting.percent(probabilitySums[.approve, default: 0] / Double(approved)),
            approvedDefaults: Formatting.expected(probabilitySums[.approve, default: 0]),
            approve: count(.approve), approveRate: rate(.approve), review: count(.review), reviewRate: rate(.review),
            held: held == 0 ? nil : Formatting.count(held),
            decline: count(.decline), declineRate: rate(.decline),
            approvedAfterReview: after(.approve), declinedAfterReview: after(.decline),
            reviewDecided: decided == 0 ? nil : "\(Formatting.count(decided)) of \(Formatting.count(referred)) decided",
            bands: bands.map { band in
                PortfolioView.Band(
                    range: "\(band.low)–\(band.high)", count: Formatting.count(band.count), share: Formatting.rate(band.count, of: scored),
                    badRate: Formatting.percent(band.probabilitySum / Double(max(band.count, 1))),
                    defaults: Formatting.expected(band.probabilitySum))
            },
            hasBands: !bands.isEmpty, histogram: Charts.decisionHistogram(probabilities, policy: policy))
    }
}
