/// The unit of a derived feature, when one can be told: a ratio of two columns in the same
/// unit is a pure number (shown as a percentage), a difference keeps its columns' unit.
/// Anything else (a ratio of dollars to months, a product) has no unit we could name.
struct ReasonDerivedUnits {
    enum Unit: Equatable {
        /// A raw column's unit, possibly none (a count).
        case named(String?)
        case dimensionless

        var name: String? {
            if case .named(let name) = self { return name }
            return nil
        }
    }

    private var units: [String: Unit] = [:]

    init(raw: [String: FeatureSpec], derived: [DerivedFeature]) {
        for (name, spec) in raw where spec.kind != .categorical { units[name] = .named(spec.unit) }
        for feature in derived {
            switch feature.operation {
            case .map: continue
            case .ratio(let a, let b):
                if let ua = units[a], ua == units[b] { units[feature.name] = .dimensionless }
            case .difference(let a, let b):
                if let ua = units[a], ua == units[b] { units[feature.name] = ua }
            case .product:
                continue
            }
        }
    }

    func unit(of name: String) -> Unit? { units[name] }
}
