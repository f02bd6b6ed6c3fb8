import LoanRiskCore
import Scoring

/// A contribution read in probability: what it alone does to the base rate, in percentage
/// points (the probability at the base rate's log-odds plus the contribution, less the base
/// rate). Log-odds add up and probabilities do not, so the same contribution moves a low base
/// rate fewer points than a middling one, and +0.4 moves it more points than -0.4 takes away;
/// the contributions table and the chart's axis both read through this one value, so they
/// agree.
struct ProbabilityPoints: Sendable {
    let model: any ScoringModel
    /// The base rate's log-odds (raw score): the model's expected value over its training rows.
    let expectedValue: Double
    /// The base rate, as a probability.
    let base: Double

    init(model: any ScoringModel, expectedValue: Double) {
        self.model = model
        self.expectedValue = expectedValue
        base = model.probability(rawScore: expectedValue)
    }

    /// Percentage points of probability that `contribution` (log-odds) alone adds to the base rate.
    func of(_ contribution: Double) -> Double {
        (model.probability(rawScore: expectedValue + contribution) - base) * 100
    }

    /// "+1.90", "-0.35": two decimals with a sign, as the table and the chart write points.
    static func text(_ points: Double) -> String {
        String(format: "%+.2f", points)
    }
}
