/// How one model feature is named and shown in reasons, worked out once per bundle from
/// bundle.json: its phrase, the columns it comes from, and what its value means (a number
/// with a unit and training bins, a category label, a source label behind a `map`, or a
/// value computed from other columns).
struct ReasonFeature: Sendable {
    /// Another model feature a derived feature reads, so a missing result can name its cause.
    struct Input: Sendable {
        let column: String
        let phrase: String
        /// Whether the applicant supplies it (otherwise it is itself derived).
        let isRaw: Bool
        /// Its position among the model features; nil when the model does not use it directly.
        let modelIndex: Int?
    }

    enum Display: Sendable {
        /// A raw number; `bins` when bundle.json has its training distribution.
        case number(unit: String?, bins: ReasonReferenceBins?)
        /// A raw categorical feature: codes index `labels` (nil for integer codes shown as they are).
        case categories(labels: [String]?)
        /// A derived `map` feature, shown as its source's label. Several labels may share a
        /// value; `source` is the source column's model index when the model also reads it
        /// (then its exact label is known); `unmapped` are source labels that map to nothing
        /// (so scored as missing although given).
        case mapped(labelsByValue: [Double: [String]], source: Int?, sourceLabels: [String], unmapped: [String])
        /// A ratio, difference or product of other columns. `percent`: a share, shown as a
        /// percentage; otherwise `unit` is written after the number (`ReasonDerivedUnits`).
        case derived(inputs: [Input], isRatio: Bool, percent: Bool, unit: String?)
    }

    let name: String
    let columns: [String]
    let phrase: String
    let display: Display
    /// The model's monotone constraint on this feature (bundle.json's `monotone_constraints`):
    /// +1 the risk never falls as it rises, -1 never rises, 0 free. A reason never says a
    /// value raised the risk in the direction the model cannot move.
    var direction = 0

    /// Descriptors for every model feature, in model order, from a bundle's parts. A bare
    /// model has no manifest: every feature is named by itself and shown as a plain number.
    static func all(model: any ScoringModel, schema: FeatureSchema, manifest: BundleManifest?) -> [ReasonFeature] {
        let modelNames = model.featureNames
        let modelIndex = Dictionary(modelNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let raw = Dictionary(schema.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let derivedList = manifest?.derivedFeatures ?? []
        let derived = Dictionary(derivedList.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let references = manifest?.reference?.features ?? [:]
        let units = ReasonDerivedUnits(raw: raw, derived: derivedList)

        func phrase(of column: String) -> String { raw[column]?.phrase ?? derived[column]?.phrase ?? column }

        let constraints = manifest?.monotoneConstraints ?? [:]
        return modelNames.map { name in
            var feature = describe(name)
            feature.direction = constraints[name].map { $0.signum() } ?? 0
            return feature
        }

        func describe(_ name: String) -> ReasonFeature {
            if let spec = raw[name] {
                let display: Display =
                    spec.kind == .categorical
                    ? .categories(labels: spec.integerCodes == true ? nil : (spec.categories ?? []).map(spec.words(for:)))
                    : .number(unit: spec.unit, bins: ReasonReferenceBins(references[name]))
                return ReasonFeature(name: name, columns: [name], phrase: spec.phrase ?? name, display: display)
            }
            if let feature = derived[name] {
                let display: Display
                switch feature.operation {
                case .map(let source, let mapping):
                    let labels = raw[source]?.categories ?? []
                    let words = { (label: String) in raw[source]?.words(for: label) ?? label }
                    var byValue: [Double: [String]] = [:]
                    for label in labels { if let value = mapping[label] { byValue[value, default: []].append(words(label)) } }
                    display = .mapped(
                        labelsByValue: byValue, source: modelIndex[source], sourceLabels: labels.map(words),
                        unmapped: labels.filter { mapping[$0] == nil }.map(words))
                case .ratio(let a, let b), .difference(let a, let b), .product(let a, let b):
                    let inputs = [a, b].map { Input(column: $0, phrase: phrase(of: $0), isRaw: raw[$0] != nil, modelIndex: modelIndex[$0]) }
                    let isRatio: Bool
                    if case .ratio = feature.operation { isRatio = true } else { isRatio = false }
                    let unit = units.unit(of: name)
                    display = .derived(inputs: inputs, isRatio: isRatio, percent: unit == .share, unit: unit?.name)
                }
                return ReasonFeature(name: name, columns: feature.operation.inputs, phrase: feature.phrase ?? name, display: display)
            }
            return ReasonFeature(name: name, columns: [name], phrase: name, display: .number(unit: nil, bins: nil))
        }
    }

    /// Whether a given value stands on the side the model's constraint says is safer (a high
    /// value of a feature whose risk never rises with it, a low one of a feature whose risk
    /// never falls): a positive contribution then comes from the feature's interplay with
    /// others, not from the value, and saying the value counted against the applicant would be
    /// false. Such a feature is not a principal reason.
    func contradictsDirection(value: Double) -> Bool {
        guard direction != 0, !value.isNaN, case .number(_, let bins) = display, let bins else { return false }
        switch bins.standing(of: value) {
        case .high: return direction < 0
        case .low: return direction > 0
        case .typical: return false
        }
    }
}
