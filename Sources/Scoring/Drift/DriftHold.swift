import Foundation

/// What a file in major drift does to its automatic approvals: each applicant the model would
/// approve is marked review instead, with a warning (`FieldIssue.Kind.heldForDrift`) saying
/// why, so that an analyst looks before money moves on a file whose interest rates came as
/// fractions. Declines and reviews stand. A bundle turns it off with `"hold_on_drift": false`
/// in its policy.
public struct DriftHold: Sendable, Equatable {
    /// The warning each held row carries.
    public let issue: FieldIssue

    /// The hold a report calls for: nil when its drift is not major, or the bundle lets
    /// approvals stand. The reason names the input that drifted most (or the score).
    public init?(report: DriftReport, schema: FeatureSchema) {
        guard report.band == .major, report.holdsApprovals ?? true else { return nil }
        let units = Dictionary(schema.features.map { ($0.name, $0.unit) }, uniquingKeysWith: { a, _ in a })
        let why: String
        let column: String
        if let input = report.inputs.first(where: { $0.band == .major }) {
            column = input.name
            why = input.sentence(unit: units[input.name] ?? nil)
        } else {
            column = "score"
            let psi = report.score.map { String(format: "%.2f", $0.psi) } ?? "?"
            why = "the scores are distributed differently from training (PSI \(psi))"
        }
        issue = FieldIssue(
            severity: .warning, column: column, value: "",
            message: "Held for review: this file does not look like the training data — \(why)\(why.hasSuffix("?") ? "" : ".")",
            kind: .heldForDrift)
    }

    /// The row's outcome, held: an approval becomes review with the warning; others are unchanged.
    @discardableResult
    public func apply(to outcome: inout RowOutcome) -> Bool {
        guard outcome.decision == .approve else { return false }
        outcome.decision = .review
        outcome.issues.append(issue)
        return true
    }

    /// A row's stored status (`RowOutcome.status`) with the hold's sentence added.
    public func status(after status: String) -> String {
        status == "ok" ? "warning: " + issue.message : status + " " + issue.message
    }
}
