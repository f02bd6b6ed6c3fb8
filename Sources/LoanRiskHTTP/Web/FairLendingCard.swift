import Foundation
import LoanRiskCore
import Scoring

/// The model card's fair-lending section, from bundle.json as the training pipeline wrote it:
/// the protected columns the model never uses, how age is treated, the monotone constraints,
/// what those choices cost in AUC on the same folds, and the disparate impact of the shipped
/// policy per group. Bundles written before these were recorded simply have no section.
struct FairLendingCard: MustacheValues {
    struct Protected: MustacheValues {
        let name: String
        let basis: String
        let phrase: String
    }

    struct Age: MustacheValues {
        let column: String
        let treatment: String
    }

    /// A model trained with other inputs or constraints, against the shipped one.
    struct Variant: MustacheValues {
        let setup: String
        let auc: String
        /// `+0.0012 ± 0.0005`, or `—` for the shipped model itself.
        let delta: String
    }

    /// A protected attribute (or age band) and the policy's effect on each of its groups.
    struct Attribute: MustacheValues {
        let phrase: String
        let name: String
        let basis: String
        let isInput: Bool
        /// Whether it passes the four-fifths rule, in words; empty when not judged.
        let verdict: String
        let fails: Bool
        let reading: String
        let groups: [Group]
    }

    struct Group: MustacheValues {
        let group: String
        let applicants: String
        let small: Bool
        let approval: String
        let ratio: String
        /// Judged, and below the four-fifths rule's 0.8.
        let below: Bool
        let tpr: String
        let gap: String
    }

    let protected: [Protected]
    let hasProtected: Bool
    let age: Age?
    /// The inputs the risk never falls as they rise, by phrase; nil when there are none.
    let riskRises: String?
    /// The inputs the risk never rises as they rise, by phrase; nil when there are none.
    let riskFalls: String?
    let hasConstraints: Bool
    let variants: [Variant]
    let hasVariants: Bool
    /// Where the disparate-impact figures come from; nil when bundle.json has none.
    let source: String?
    let attributes: [Attribute]
    let hasAttributes: Bool

    /// `data`: the bundle's `bundle.json`; nil when it records none of this.
    init?(bundleJSON data: Data, bundle: ModelBundle) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let file = try? decoder.decode(File.self, from: data),
              file.protectedInputs != nil || file.fairness != nil || file.monotoneConstraints != nil else { return nil }
        protected = (file.protectedInputs ?? []).map { Protected(name: $0.name, basis: $0.basis, phrase: $0.phrase ?? $0.name) }
        hasProtected = !protected.isEmpty
        age = file.age.map { Age(column: $0.column, treatment: $0.treatment) }
        let phrases = Self.phrases(bundle)
        let constraints = (file.monotoneConstraints ?? [:]).sorted { $0.key < $1.key }
        // Only when there are some: the template shows a sentence for each that is present.
        let rises = constraints.filter { $0.value > 0 }.map { phrases[$0.key] ?? $0.key }
        let falls = constraints.filter { $0.value < 0 }.map { phrases[$0.key] ?? $0.key }
        riskRises = rises.isEmpty ? nil : rises.joined(separator: ", ")
        riskFalls = falls.isEmpty ? nil : falls.joined(separator: ", ")
        hasConstraints = !constraints.isEmpty
        variants = (file.metrics?.inputsAndConstraints ?? []).map { v in
            Variant(
                setup: v.setup, auc: Formatting.statistic(v.rocAuc),
                delta: v.variant == "shipped" ? "—" : String(format: "%+.3f ± %.3f", v.aucVsShipped, v.aucVsShippedSe))
        }
        hasVariants = !variants.isEmpty
        source = file.fairness?.source
        attributes = (file.fairness?.attributes ?? []).map(Self.attribute)
        hasAttributes = !attributes.isEmpty
    }

    private static func attribute(_ a: File.Attribute) -> Attribute {
        Attribute(
            phrase: a.phrase, name: a.name, basis: a.basis, isInput: a.role == "model input",
            verdict: a.passesFourFifths.map { $0 ? "passes the four-fifths rule" : "fails the four-fifths rule" } ?? "",
            fails: a.passesFourFifths == false, reading: a.reading,
            groups: a.groups.map { g in
                Group(
                    group: g.group, applicants: Formatting.count(g.applicants), small: g.small,
                    approval: Formatting.share(g.approvalRate),
                    ratio: Formatting.ratio(g.adverseImpactRatio),
                    below: g.judged != false && (g.adverseImpactRatio ?? 1) < 0.8,
                    tpr: Formatting.share(g.truePositiveRate),
                    gap: g.truePositiveRateGap.map(Formatting.points) ?? "—")
            })
    }

    /// Model feature → the phrase an analyst reads (raw features' and derived features').
    private static func phrases(_ bundle: ModelBundle) -> [String: String] {
        var out: [String: String] = [:]
        for spec in bundle.schema.features { out[spec.name] = spec.phrase ?? spec.name }
        for derived in bundle.manifest?.derivedFeatures ?? [] { out[derived.name] = derived.phrase ?? derived.name }
        return out
    }
}

extension FairLendingCard {
    /// The parts of bundle.json the section reads.
    fileprivate struct File: Decodable {
        var protectedInputs: [BundleManifest.ProtectedInput]?
        var age: Age?
        var monotoneConstraints: [String: Int]?
        var fairness: Fairness?
        var metrics: Metrics?

        struct Age: Decodable {
            var column: String
            var treatment: String
        }

        struct Metrics: Decodable {
            var inputsAndConstraints: [Variant]?
        }

        struct Variant: Decodable {
            var variant: String
            var setup: String
            var rocAuc: Double
            var aucVsShipped: Double
            var aucVsShippedSe: Double
        }

        struct Fairness: Decodable {
            var source: String
            var attributes: [Attribute]
        }

        struct Attribute: Decodable {
            var name: String
            var phrase: String
            var basis: String
            var role: String
            var groups: [Group]
            var passesFourFifths: Bool?
            var reading: String
        }

        struct Group: Decodable {
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
    }
}
