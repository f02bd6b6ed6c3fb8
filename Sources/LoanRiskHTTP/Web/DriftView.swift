import Foundation
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// A batch's drift report as its page shows it: the banner when any input or the score is in
/// the major band, and every input ranked by PSI with expected against actual bars.
struct DriftView {
    let report: DriftReport
    let schema: FeatureSchema

    var values: [String: Any] {
        let units = Dictionary(schema.features.map { ($0.name, $0.unit) }, uniquingKeysWith: { a, _ in a })
        let major = report.inputs.filter { $0.band == .major }
        var banner = major.prefix(5).map { $0.sentence(unit: units[$0.name] ?? nil) }
        if major.count > 5 { banner.append("and \(major.count - 5) more inputs") }
        if let score = report.score, score.band == .major {
            banner.append("The scores are distributed differently from training (PSI \(String(format: "%.2f", score.psi))): decisions may not mean what they did.")
        }
        var values: [String: Any] = [
            "band": report.band.rawValue, "isMajor": report.band == .major, "banner": banner,
            "inputs": report.inputs.map(row), "rows": Formatting.count(report.rows),
        ]
        if let score = report.score { values["score"] = row(score) }
        if !report.withoutReference.isEmpty { values["withoutReference"] = report.withoutReference.joined(separator: ", ") }
        return values
    }

    private func row(_ input: DriftReport.Input) -> [String: Any] {
        [
            "name": input.name, "psi": String(format: "%.3f", input.psi), "band": input.band.rawValue,
            "missing": Formatting.percent(input.missingShare), "outOfRange": Formatting.percent(input.belowRangeShare + input.aboveRangeShare),
            "unseen": Formatting.percent(input.unseenShare), "chart": Charts.driftBars(input),
        ]
    }
}
