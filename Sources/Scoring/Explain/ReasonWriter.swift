import Foundation

/// Turns a row's contributions into its principal reasons: the features with the largest
/// positive contributions to the risk, phrased with the bundle's words and the applicant's
/// own value. Built once per bundle.
public struct ReasonWriter: Sendable {
    /// How a model feature is named and shown.
    struct Descriptor: Sendable {
        enum Display: Sendable {
            case number(unit: String?)
            /// Codes index `labels`.
            case categories(labels: [String])
            /// A derived `map` feature: shown as its source's label.
            case mapped(labels: [Double: String])
        }

        let name: String
        let columns: [String]
        let phrase: String
        let display: Display
    }

    let descriptors: [Descriptor]

    public init(bundle: ModelBundle) {
        let model = bundle.model
        let raw = Dictionary(bundle.schema.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let derived = Dictionary((bundle.manifest?.derivedFeatures ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        descriptors = model.featureNames.map { name in
            if let spec = raw[name] {
                let display: Descriptor.Display =
                    spec.kind == .categorical && spec.integerCodes != true
                    ? .categories(labels: spec.categories ?? []) : .number(unit: spec.unit)
                return Descriptor(name: name, columns: [name], phrase: spec.phrase ?? name, display: display)
            }
            if let feature = derived[name] {
                let display: Descriptor.Display
                if case .map(_, let mapping) = feature.operation {
                    var labels: [Double: String] = [:]
                    for (label, value) in mapping.sorted(by: { $0.key < $1.key }) where labels[value] == nil { labels[value] = label }
                    display = .mapped(labels: labels)
                } else {
                    display = .number(unit: nil)
                }
                return Descriptor(name: name, columns: feature.operation.inputs, phrase: feature.phrase ?? name, display: display)
            }
            return Descriptor(name: name, columns: [name], phrase: name, display: .number(unit: nil))
        }
    }

    /// The top `limit` reasons for one row: `contributions` has one value per model feature
    /// (more are ignored), `features` the row's model feature values (NaN when missing) and
    /// `issues` the row's field issues (to tell an unseen category from a missing value).
    /// Only positive contributions are reasons; ties keep model feature order.
    public func reasons(
        contributions: some Collection<Double>, features: some Collection<Double>, issues: [FieldIssue], limit: Int
    ) -> [Reason] {
        guard limit > 0 else { return [] }
        let phi = Array(contributions.prefix(descriptors.count))
        let values = Array(features)
        let ranked = phi.indices.filter { phi[$0] > 0 }.sorted { phi[$0] > phi[$1] || (phi[$0] == phi[$1] && $0 < $1) }
        return ranked.prefix(limit).map { index in
            reason(descriptors[index], value: values[index], contribution: phi[index], issues: issues)
        }
    }

    private func reason(_ d: Descriptor, value: Double, contribution: Double, issues: [FieldIssue]) -> Reason {
        if value.isNaN {
            if let unseen = issues.first(where: { d.columns.contains($0.column) && $0.message.contains("scored as missing") }) {
                return Reason(
                    feature: d.name, columns: d.columns, phrase: d.phrase, value: unseen.value, kind: .unseenCategory,
                    contribution: contribution,
                    text: "\(d.phrase) '\(unseen.value)' is not a value the model was trained on, so it was treated as not provided")
            }
            return Reason(
                feature: d.name, columns: d.columns, phrase: d.phrase, value: nil, kind: .missing, contribution: contribution,
                text: "\(d.phrase) was not provided")
        }
        let shown = Self.format(value, d.display)
        return Reason(
            feature: d.name, columns: d.columns, phrase: d.phrase, value: shown, kind: .value, contribution: contribution,
            text: "\(d.phrase) of \(shown) raises the estimated risk")
    }

    static func format(_ value: Double, _ display: Descriptor.Display) -> String {
        switch display {
        case .categories(let labels):
            let code = Int(exactly: value) ?? -1
            return labels.indices.contains(code) ? labels[code] : Self.plain(value)
        case .mapped(let labels):
            return labels[value] ?? Self.plain(value)
        case .number(let unit):
            guard let unit else { return Self.plain(value) }
            return unit == "%" ? "\(Self.plain(value)) %" : "\(Self.plain(value)) \(unit)"
        }
    }

    /// A number as a person writes it: whole numbers without a fraction, others to at most
    /// four significant decimals.
    static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.4g", value)
        if text.contains("e") { text = String(value) }
        return text
    }
}
