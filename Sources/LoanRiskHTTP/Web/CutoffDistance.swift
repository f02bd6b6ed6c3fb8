import LoanRiskCore
import Scoring

/// How far a probability is from the cut-offs that decide it, in percentage points, in a
/// sentence an analyst reads beside the decision ("5.91 % is 0.14 points below the approve
/// cut-off of 6.05 %"): a decision near a cut-off deserves a second look.
struct CutoffDistance {
    let probability: Double
    let policy: DecisionPolicy

    var sentence: String {
        let p = Formatting.percent(probability)
        func points(_ d: Double) -> String { String(Formatting.points(abs(d)).dropFirst()) }  // unsigned: the sentence says which side
        let approve = policy.approveBelow, decline = policy.declineAtOrAbove
        if probability < approve {
            return "Approved: \(p) is \(points(approve - probability)) below the approve cut-off of \(Formatting.percent(approve))."
        }
        if probability >= decline {
            return "Declined: \(p) is \(points(probability - decline)) above the decline cut-off of \(Formatting.percent(decline))."
        }
        return "Referred for review: \(p) is \(points(probability - approve)) above the approve cut-off of \(Formatting.percent(approve)) "
            + "and \(points(decline - probability)) below the decline cut-off of \(Formatting.percent(decline))."
    }
}
