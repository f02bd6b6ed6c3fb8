import Foundation
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// The model card's fair-lending section, from bundle.json as the training pipeline wrote it:
/// the protected columns the model never uses, how age is treated, the monotone constraints,
/// what those choices cost in AUC on the same folds, and the disparate impact of the shipped
/// policy per group. Bundles written before these were recorded simply have no section.
struct FairLendingCard {
    private struct File: Decodable {
        var protectedInputs: [BundleManifest.ProtectedInput]?
        var age: Age?
        var monotoneConstraints: [String: Int]?
        var fairness: Fairness?
        var metrics: Metrics?
    }

    private struct Age: Decodable {
        var column: String
        var treatment: String
    }

    private struct Metrics: Decodable {
        var inputsAndConstraints: [Variant]?
    }

    private struct Variant: Decodable {
        var variant: String
        var setup: String
        var rocAuc: Double
        var aucVsShipped: Double
        var aucVsShippedSe: Double
    }

    private struct Fairness: Decodable {
        var source: String
        var attributes: [Attribute]
    }

    private struct Attribute: Decodable {
        var name: String
        var phrase: String
        var basis: String
        var role: String
        var groups: [Group]
        var passesFourFifths: Bool?
        var reading: String
    }

    private struct Group: Decodable {
        var group: String
        var applicants: Int
        var approvalRate: Double
        var adverseImpactRatio: Double?
        var truePositiveRate: Double?
        var truePositiveRateGap: Double?
        var small: Bool
        /// Whether the ratios and gaps are taken over this group (large enough, attribute given).
        var judged: Bool?
    }

    /// The section's values for the template; nil when bundle.json records none of it.
    let values: [String: Any]

    /// `data`: the bundle's `bundle.json`.
    init?(bundleJSON data: Data, bundle: ModelBundle) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let file = try? decoder.decode(File.self, from: data),
              file.protectedInputs != nil || file.fairness != nil || file.monotoneConstraints != nil else { return nil }
        var values: [String: Any] = [:]
        values["protected"] = (file.protectedInputs ?? []).map { ["name": $0.name, "basis": $0.basis, "phrase": $0.phrase ?? $0.name] }
        values["hasProtected"] = !(file.protectedInputs ?? []).isEmpty
        if let age = file.age { values["age"] = ["column": age.column, "treatment": age.treatment] }
        let phrases = Self.phrases(bundle)
        let constraints = (file.monotoneConstraints ?? [:]).sorted { $0.key < $1.key }
        // Only when there are some: the template shows a sentence for each that is present.
        let rises = constraints.filter { $0.value > 0 }.map { phrases[$0.key] ?? $0.key }
        let falls = constraints.filter { $0.value < 0 }.map { phrases[$0.key] ?? $0.key }
        if !rises.isEmpty { values["riskRises"] = rises.joined(separator: ", ") }
        if !falls.isEmpty { values["riskFalls"] = falls.joined(separator: ", ") }
        values["hasConstraints"] = !constraints.isEmpty
        values["variants"] = (file.metrics?.inputsAndConstraints ?? []).map { v -> [String: Any] in
            ["setup": v.setup, "auc": String(format: "%.4f", v.rocAuc),
             "delta": v.variant == "shipped" ? "—" : String(format: "%+.4f ± %.4f", v.aucVsShipped, v.aucVsShippedSe)]
        }
        values["hasVariants"] = !(file.metrics?.inputsAndConstraints ?? []).isEmpty
        if let fairness = file.fairness {
            values["source"] = fairness.source
            values["attributes"] = fairness.attributes.map(Self.attribute)
            values["hasAttributes"] = !fairness.attributes.isEmpty
        }
        self.values = values
    }

    private static func attribute(_ a: Attribute) -> [String: Any] {
        [
            "phrase": a.phrase, "name": a.name, "basis": a.basis, "isInput": a.role == "model input",
            "verdict": a.passesFourFifths.map { $0 ? "passes the four-fifths rule" : "fails the four-fifths rule" } ?? "",
            "fails": a.passesFourFifths == false, "reading": a.reading,
            "groups": a.groups.map { g -> [String: Any] in
                [
                    "group": g.group, "applicants": Formatting.count(g.applicants), "small": g.small,
                    "approval": Formatting.percent(g.approvalRate),
                    "ratio": g.adverseImpactRatio.map { String(format: "%.2f", $0) } ?? "—",
                    "below": g.judged != false && (g.adverseImpactRatio ?? 1) < 0.8,
                    "tpr": g.truePositiveRate.map(Formatting.percent) ?? "—",
                    "gap": g.truePositiveRateGap.map { String(format: "%.1f points", $0 * 100) } ?? "—",
                ]
            },
        ]
    }

    /// Model feature → the phrase an analyst reads (raw features' and derived features').
    private static func phrases(_ bundle: ModelBundle) -> [String: String] {
        var out: [String: String] = [:]
        for spec in bundle.schema.features { out[spec.name] = spec.phrase ?? spec.name }
        for derived in bundle.manifest?.derivedFeatures ?? [] { out[derived.name] = derived.phrase ?? derived.name }
        return out
    }
}
