import Foundation
import LoanRiskCore
import Scoring

/// A batch's drift report as its page shows it: the banner when any input or the score is in
/// the major band, and every input ranked by PSI with expected against actual bars.
struct DriftView: MustacheValues {
    /// One input (or the score) against training.
    struct Input: MustacheValues {
        let name: String
        /// The business name ("Interest rate"), shown before the column's; empty when the
        /// schema gives none (or for the score).
        var phrase = ""
        let psi: String
        let band: String
        let missing: String
        let outOfRange: String
        let unseen: String
        /// SVG bars, inserted raw.
        let chart: String

        init(_ input: DriftReport.Input) {
            name = input.name
            psi = Formatting.statistic(input.psi)
            band = input.band.rawValue
            missing = Formatting.percent(input.missingShare)
            outOfRange = Formatting.percent(input.belowRangeShare + input.aboveRangeShare)
            unseen = Formatting.percent(input.unseenShare)
            chart = Charts.driftBars(input)
        }
    }

    let band: String
    let isMajor: Bool
    /// What changed, a sentence each (at most five inputs, then how many more, then the score).
    let banner: [String]
    /// What the major drift did to the approvals (`DriftHold`), for the banner; nil when the
    /// drift is not major, or the report was stored before approvals could be held.
    let hold: String?
    let inputs: [Input]
    let rows: String
    /// Nil when the report has no score distribution.
    let score: Input?
    /// The inputs without a training reference, comma-separated; nil when every input has one.
    let withoutReference: String?
    /// The numbers as JSON.
    let driftLink: String

    init(report: DriftReport, schema: FeatureSchema, link: String) {
        let specs = Dictionary(schema.features.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let major = report.inputs.filter { $0.band == .major }
        // Each sentence opens with the column ("int_rate: …"): the business name goes first.
        var banner = major.prefix(5).map { input in
            let sentence = input.sentence(unit: specs[input.name]?.unit)
            guard let spec = specs[input.name], sentence.hasPrefix(input.name + ": ") else { return sentence }
            return FieldIssue.subject(spec) + sentence.dropFirst(input.name.count)
        }
        if major.count > 5 { banner.append("and \(major.count - 5) more inputs") }
        if let score = report.score, score.band == .major {
            banner.append("The scores are distributed differently from training (PSI \(String(format: "%.2f", score.psi))): decisions may not mean what they did.")
        }
        band = report.band.rawValue
        isMajor = report.band == .major
        hold = isMajor ? Self.hold(report) : nil
        self.banner = banner
        inputs = report.inputs.map { input in
            var shown = Input(input)
            if let phrase = specs[input.name]?.phrase, phrase.lowercased() != input.name.lowercased() { shown.phrase = phrase }
            return shown
        }
        rows = Formatting.count(report.rows)
        score = report.score.map(Input.init)
        withoutReference = report.withoutReference.isEmpty ? nil : report.withoutReference.joined(separator: ", ")
        driftLink = link
    }

    private static func hold(_ report: DriftReport) -> String? {
        if let held = report.heldApprovals {
            if held == 0 { return "Approvals are held on a file like this one: here the model approved no applicant, so none was held." }
            let who = held == 1 ? "the 1 applicant the model would have approved is" : "the \(Formatting.count(held)) applicants the model would have approved are"
            return "Approvals were held: \(who) marked review, with this reason, for an analyst to decide."
        }
        if report.holdsApprovals == false {
            return "Approvals were not held: this model's policy lets them stand on drift (hold_on_drift is off)."
        }
        return nil
    }
}
