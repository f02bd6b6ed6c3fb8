import Foundation
import LoanRiskCore
import Scoring

/// The values of the `explanation` partial (reasons, contributions chart and table) for one
/// applicant, shared by the batch row page and the single-applicant result so both say the
/// same thing the same way.
struct ExplanationView: MustacheValues {
    /// One model feature as a person reads it: its phrase and the applicant's value.
    struct Feature: MustacheValues {
        var name: String
        var phrase: String
        var value: String
    }

    /// One row of the contributions table, largest effect first.
    struct Contribution: MustacheValues {
        let feature: String
        let phrase: String
        let value: String
        /// Rounded, for reading; `exact` is the full value.
        let contribution: String
        let exact: String
        /// What it alone would do to the base rate, in probability points.
        let points: String
        let effect: String
        /// `raise`, `lower`, or empty.
        let cssClass: String
    }

    /// The base rate as it would compare with the bad rate observed in training.
    struct Observed: MustacheValues {
        let rate: String
        /// The base rate (at the average log-odds) is below the observed rate.
        let below: Bool
    }

    let reasons: [String]
    let hasReasons: Bool
    let baseRate: String
    let probability: String
    /// SVG, inserted raw.
    let chart: String
    /// The same chart laid out for a phone; SVG, inserted raw.
    let narrowChart: String
    let contributions: [Contribution]
    let expectedValue: String
    let total: String
    let rawScore: String
    /// Nil when the bundle records no observed bad rate.
    let observed: Observed?

    /// - Parameters:
    ///   - explanation: with every contribution (`ExplainOptions.contributions`).
    ///   - features: the applicant's model feature values (model order), for the labels.
    ///   - issues: the applicant's warnings (an unseen category is named as such).
    ///   - probability: the applicant's probability of default, as stored or scored.
    init(explanation: Explanation, features: [Double], issues: [FieldIssue], probability: Double, scorer: BatchScorer) {
        let described = Self.describe(features: features, issues: issues, scorer: scorer)
        let points = ProbabilityPoints(model: scorer.model, expectedValue: explanation.expectedValue)
        let baseRate = Formatting.percent(points.base)
        let shown = Formatting.percent(probability)
        let contributions = explanation.contributions
        let bars = zip(described, contributions).map { feature, contribution in
            Charts.ContributionBar(label: "\(feature.phrase): \(feature.value)", contribution: contribution)
        }
        let order = contributions.indices.sorted { a, b in
            abs(contributions[a]) > abs(contributions[b]) || (abs(contributions[a]) == abs(contributions[b]) && a < b)
        }
        self.contributions = order.filter { described.indices.contains($0) }.map { index in
            let c = contributions[index]
            return Contribution(
                feature: described[index].name, phrase: described[index].phrase, value: described[index].value,
                contribution: Charts.contributionText(c), exact: "\(c)",
                points: ProbabilityPoints.text(points.of(c)),
                effect: c > 0 ? "raises the risk" : (c < 0 ? "lowers the risk" : "no effect"),
                cssClass: c > 0 ? "raise" : (c < 0 ? "lower" : ""))
        }
        let total = contributions.reduce(0, +)
        reasons = explanation.reasons.map(\.text)
        hasReasons = !explanation.reasons.isEmpty
        self.baseRate = baseRate
        self.probability = shown
        chart = Charts.contributions(bars, baseRate: baseRate, probability: shown, points: points)
        narrowChart = Charts.narrowContributions(bars, baseRate: baseRate, probability: shown, points: points)
        expectedValue = String(format: "%.4f", explanation.expectedValue)
        self.total = Charts.contributionText(total)
        rawScore = String(format: "%.4f", explanation.expectedValue + total)
        observed = scorer.bundle.manifest?.metrics?.cv?.badRate.map { Observed(rate: Formatting.percent($0), below: points.base < $0) }
    }

    /// Every model feature's phrase and shown value, worded as the reasons word them.
    static func describe(features: [Double], issues: [FieldIssue], scorer: BatchScorer) -> [Feature] {
        let names = scorer.model.featureNames
        let described = scorer.reasonWriter.describe(contributions: [], features: features, issues: issues)
        return zip(names, described).map { name, reason in
            let value: String
            switch reason.kind {
            case .value: value = reason.value ?? "not provided"
            case .missing: value = "not provided"
            case .unseenCategory: value = "‘\(reason.value ?? "")’ (not seen in training)"
            }
            return Feature(name: name, phrase: reason.phrase, value: value)
        }
    }
}
