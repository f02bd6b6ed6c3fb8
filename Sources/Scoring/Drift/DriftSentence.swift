import Foundation

extension DriftReport.Input {
    /// What changed, in words an analyst can act on: most values outside the training range
    /// (with a guess at the cause: a percentage sent as a fraction, other units), far more
    /// missing values or unseen categories than in training, else the shift itself.
    public func sentence(unit: String?) -> String {
        func percent(_ share: Double) -> String { "\(Int((share * 100).rounded(.down))) %" }
        let expectedMissing = missingBinExpected
        if belowRangeShare >= 0.5 {
            let hint = unit == "%" ? " — was it sent as a fraction?" : " — was it sent in other units?"
            return "\(name): \(percent(belowRangeShare)) of values are below anything seen in training\(hint)"
        }
        if aboveRangeShare >= 0.5 {
            return "\(name): \(percent(aboveRangeShare)) of values are above anything seen in training — was it sent in other units?"
        }
        if missingShare >= 0.5, missingShare > 2 * expectedMissing {
            return "\(name): \(percent(missingShare)) of values are missing, against \(percent(expectedMissing)) in training — is the column filled in?"
        }
        if unseenShare >= 0.2 {
            return "\(name): \(percent(unseenShare)) of values are categories never seen in training — have the codes changed?"
        }
        return "\(name): its values are distributed differently from training (PSI \(String(format: "%.2f", psi)))"
    }

    /// The training share of missing values (0 when the bins have no missing bin).
    var missingBinExpected: Double {
        guard let index = bins.firstIndex(of: "missing") else { return 0 }
        return expected[index]
    }
}
