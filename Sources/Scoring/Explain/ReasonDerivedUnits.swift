/// The unit of a derived feature: the one bundle.json declares (`DerivedFeature.unit`), or,
/// when it declares none, what can be told from its columns: a ratio of two columns in the
/// same named unit (dollars to dollars) is a share, shown as a percentage; a difference keeps
/// its columns' unit. Two columns without a unit are not taken to share one: a loan amount
/// over a monthly income is a multiple (14 times), and would read as "1,428.6 %". Anything
/// else (a ratio of dollars to months, a product) has no unit we could name.
struct ReasonDerivedUnits {
    enum Unit: Equatable {
        /// A raw column's unit, possibly none (a count), or a declared unit word ("times").
        case named(String?)
        /// A fraction of a whole, shown as a percentage.
        case share

        var name: String? {
            if case .named(let name) = self { return name }
            return nil
        }
    }

    private var units: [String: Unit] = [:]

    init(raw: [String: FeatureSpec], derived: [DerivedFeature]) {
        for (name, spec) in raw where spec.kind != .categorical { units[name] = .named(spec.unit) }
        for feature in derived {
            if let declared = feature.unit {
                units[feature.name] = declared == DerivedFeature.shareUnit ? .share : .named(declared)
                continue
            }
            switch feature.operation {
            case .map, .product: continue
            case .ratio(let a, let b):
                if let ua = units[a], ua == units[b], ua.name != nil { units[feature.name] = .share }
            case .difference(let a, let b):
                if let ua = units[a], ua == units[b] { units[feature.name] = ua }
            }
        }
    }

    func unit(of name: String) -> Unit? { units[name] }
}
