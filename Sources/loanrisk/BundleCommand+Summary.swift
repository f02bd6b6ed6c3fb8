import Foundation
import Scoring

extension BundleCommand.Init {
    /// What was written, and what the analyst should check before registering it.
    static func summary(_ draft: BundleDraft, directory: URL, modelFileName: String) -> String {
        let document = draft.document
        let features = document.features
        let counts = [FeatureKind.categorical, .integer, .numeric].compactMap { kind -> String? in
            let n = features.filter { $0.kind == kind }.count
            return n == 0 ? nil : "\(n) \(kind.rawValue)"
        }
        let policy = document.policy
        let rows = document.provenance.sampleRows
        var lines = [
            "Wrote \(directory.path)/ — \(document.name) version \(document.version):",
            "  \(modelFileName)  the model, as given (sha256 \(document.provenance.modelSha256.prefix(12))…)",
            "  bundle.json  \(features.count) inputs (\(counts.joined(separator: ", "))), id column \(document.idColumn ?? "none"), "
                + "drift reference from \(rows) sample rows (\(draft.decimalMark.description))",
            "  golden.csv   \(draft.goldenRowCount) rows with the probability LoanRisk computes for each",
            "Default policy: approve below \(cut(policy.approveBelow)), decline from \(cut(policy.declineAtOrAbove)) — on the sample "
                + "\(percent(policy.approvalRate)) approved, \(percent(policy.reviewRate)) reviewed, \(percent(policy.declineRate)) declined.",
        ]
        if let metrics = document.metrics.sample {
            var measured = ["bad rate \(percent(metrics.badRate))"]
            if let auc = metrics.rocAuc { measured.append("ROC-AUC \(format(auc))") }
            if let ks = metrics.ks { measured.append("KS \(format(ks))") }
            measured.append("Brier \(format(metrics.brier))")
            lines.append("On the sample (\(metrics.rows) rows with outcomes; not cross-validated): \(measured.joined(separator: ", ")).")
        }
        lines.append("Check next:")
        lines += draft.notes.map { "  - \($0)" }
        lines += [
            "  - golden.csv records what LoanRisk computes: score its rows once with the model's own library and compare "
                + "(to 1e-12) before relying on it.",
            "  - In bundle.json: the description and the target's definition; each input's description, phrase and unit "
                + "(reasons read them); policy.key_inputs; the cut-offs, to your risk appetite.",
            "  - Then: loanrisk models register \(directory.path)",
        ]
        return lines.joined(separator: "\n")
    }

    private static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
    private static func format(_ x: Double) -> String { String(format: "%.3f", x) }
    /// A cut-off to four significant digits (bundle.json keeps every digit).
    private static func cut(_ x: Double) -> String { String(format: "%.4g", x) }
}
