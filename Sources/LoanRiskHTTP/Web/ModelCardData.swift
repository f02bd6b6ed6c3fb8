import Foundation
import LoanRiskCore
import Scoring

/// The model card's evidence, read from `bundle.json` as the training pipeline wrote it:
/// cross-validated metrics, the algorithm comparison, ROC and reliability points, the policy's
/// expected effect, and provenance. Parts that are absent (or unreadable) are simply not shown.
struct ModelCardData: MustacheValues {
    struct Metric: MustacheValues {
        let label: String
        let mean: String
        /// `± 0.012`, or empty when bundle.json gives no spread.
        let std: String
    }

    struct Comparison: MustacheValues {
        let algorithm: String
        let auc: String
        let brier: String
        let ece: String
    }

    /// The shipped policy's expected effect on the out-of-fold predictions.
    struct Policy: MustacheValues {
        let approvalRate: String
        let reviewRate: String
        let badRateApproved: String
        let recall: String
        let costs: String
    }

    /// One input's row of the missing-input analysis, in an analyst's words: how much the
    /// odds of default move when the input is left blank rather than given a typical value.
    struct MissingInput: MustacheValues {
        let input: String
        let name: String
        let isKey: Bool
        let typical: String
        /// "48.7 % lower", "240.0 % higher", "no change".
        let effect: String
        /// Share of applicants who would score lower without it.
        let lowersShare: String
        let flag: String?
    }

    struct Provenance: MustacheValues {
        let dataset: String
        let rows: String
        let lightgbm: String
        let sha256: String
    }

    let metrics: [Metric]
    /// `3 × 5-fold stratified cross-validation, out-of-fold`, or where a sample's figures come
    /// from; nil when bundle.json does not say.
    let cv: String?
    let comparison: [Comparison]
    /// Whether there are figures to show (an imported model's bundle may have none).
    let hasMetrics: Bool
    let hasComparison: Bool
    let hasCharts: Bool
    /// SVG, inserted raw; nil without ROC points.
    let rocSVG: String?
    /// SVG, inserted raw; nil without reliability points.
    let reliabilitySVG: String?
    let policy: Policy?
    /// Ordered by effect, the most risk-lowering absence first; empty when bundle.json has none.
    let missingInputs: [MissingInput]
    let hasMissingInputs: Bool
    let provenance: Provenance?
    let created: String

    /// `data`: the bundle's `bundle.json`; `schema` writes the missing-input table's typical
    /// values as the pages write them ("36 months", "$15,000").
    init?(bundleJSON data: Data, schema: FeatureSchema? = nil) {
        guard let file = try? JSONDecoder().decode(File.self, from: data) else { return nil }
        let metrics = file.metrics
        // A bundle written around an imported model has no cross-validation, only what
        // `bundle init` measured on a sample with outcomes: shown as such.
        let fromSample = (metrics?.mean ?? [:]).isEmpty && metrics?.sample != nil
        let mean = fromSample ? metrics?.sample ?? [:] : metrics?.mean ?? [:]
        let std = fromSample ? [:] : metrics?.std ?? [:]
        self.metrics = [("roc_auc", "ROC-AUC"), ("gini", "Gini"), ("ks", "KS"), ("brier", "Brier score"), ("ece", "Expected calibration error")]
            .compactMap { key, label in
                guard let m = mean[key] else { return nil }
                return Metric(label: label, mean: Formatting.statistic(m), std: std[key].map { "± " + Formatting.statistic($0) } ?? "")
            }
        cv = fromSample
            ? Self.sentence(metrics?.sampleNote ?? "measured on a sample, not cross-validated") + " (loanrisk bundle init)"
            : metrics?.cv.map { "\($0.repeats ?? 1) × \($0.folds ?? 5)-fold stratified cross-validation, out-of-fold" }
        hasMetrics = !self.metrics.isEmpty
        hasComparison = !(metrics?.comparison ?? []).isEmpty
        comparison = (metrics?.comparison ?? []).map { row in
            Comparison(
                algorithm: (row.algorithm ?? "").replacingOccurrences(of: "_", with: " "),
                auc: Self.fixed(row.rocAuc), brier: Self.fixed(row.brier), ece: Self.fixed(row.ece))
        }
        let roc = (metrics?.roc ?? []).compactMap { p in p.fpr.flatMap { x in p.tpr.map { (x, $0) } } }
        rocSVG = roc.isEmpty ? nil : Charts.curve(roc, label: "ROC curve", xLabel: "False positive rate", yLabel: "True positive rate")
        let reliability = (metrics?.reliability ?? []).compactMap { p in p.meanPredicted.flatMap { x in p.observedRate.map { (x, $0) } } }
        if reliability.isEmpty {
            reliabilitySVG = nil
        } else {
            let top = max(0.05, (reliability.map { max($0.0, $0.1) }.max() ?? 1) * 1.1)
            reliabilitySVG = Charts.curve(
                reliability.map { ($0.0 / top, $0.1 / top) }, label: "Reliability plot",
                xLabel: "Predicted (0–\(Int(top * 100)) %)", yLabel: "Observed (0–\(Int(top * 100)) %)")
        }
        hasCharts = rocSVG != nil || reliabilitySVG != nil
        policy = file.policy.map { p in
            Policy(
                approvalRate: Formatting.share(p.approvalRate), reviewRate: Formatting.share(p.reviewRate),
                badRateApproved: Formatting.percent(p.badRateAmongApproved), recall: Formatting.share(p.recallOfDefaulters), costs: p.costs?.basis ?? "")
        }
        let specs = Dictionary((schema?.features ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        missingInputs = (metrics?.missingInputs ?? []).sorted { $0.missingVsTypicalLogOdds < $1.missingVsTypicalLogOdds }.map { row in
            MissingInput(
                input: row.phrase ?? row.input, name: row.input, isKey: row.key == true,
                typical: row.typical.map { typical in specs[row.input]?.shown(cell: typical) ?? typical } ?? "—",
                effect: Self.oddsChange(row.missingVsTypicalLogOdds), lowersShare: Formatting.share(row.missingLowersRiskShare), flag: row.flag)
        }
        hasMissingInputs = !missingInputs.isEmpty
        provenance = file.provenance.map { p in
            Provenance(dataset: p.datasetFile ?? "", rows: p.rows.map(Formatting.count) ?? "", lightgbm: p.lightgbmVersion ?? "", sha256: p.modelSha256 ?? "")
        }
        created = file.created ?? ""
    }

    /// A change in log-odds as the change in the odds of default a credit officer reads.
    static func oddsChange(_ logOdds: Double) -> String {
        let change = exp(logOdds) - 1
        if abs(change) < 0.0005 { return "no change" }
        return Formatting.share(abs(change)) + (change < 0 ? " lower" : " higher")
    }

    /// The text with its first letter capitalised.
    private static func sentence(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    private static func fixed(_ value: Double?) -> String {
        Formatting.statistic(value)
    }
}
