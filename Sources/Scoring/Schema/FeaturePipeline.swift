/// From the columns a user supplies to the model's feature vector: raw features (as the
/// `FeatureEncoder` reads them) are extended with derived features, then picked in the
/// model's order. For a bare model.txt it is the identity.
public struct FeaturePipeline: Sendable {
    private enum Step: Sendable {
        case map(source: Int, table: [Double: Double])
        case ratio(Int, Int)
        case difference(Int, Int)
        case product(Int, Int)
    }

    /// Number of raw features (the first values of the extended row).
    public let rawCount: Int
    private let steps: [Step]
    /// For each model feature, its index in the extended row (raw then derived).
    let modelSources: [Int]

    public var extendedCount: Int { rawCount + steps.count }
    public var modelFeatureCount: Int { modelSources.count }

    /// The identity pipeline: the model's features are the raw features, in order.
    public init(identityOver count: Int) {
        rawCount = count
        steps = []
        modelSources = Array(0..<count)
    }

    /// Builds the pipeline, checking every name resolves: derived inputs to earlier columns,
    /// `modelFeatures` to raw or derived features, `map` sources to categorical raw features.
    public init(raw: [FeatureSpec], derived: [DerivedFeature], modelFeatures: [String]) throws(BundleLoadError) {
        var index: [String: Int] = [:]
        for (i, spec) in raw.enumerated() { index[spec.name] = i }
        var steps: [Step] = []
        for feature in derived {
            guard index[feature.name] == nil else {
                throw BundleLoadError("Derived feature '\(feature.name)' has the name of another column.")
            }
            func resolve(_ name: String) throws(BundleLoadError) -> Int {
                guard let i = index[name] else {
                    throw BundleLoadError("Derived feature '\(feature.name)' reads '\(name)', which is neither a feature nor an earlier derived feature.")
                }
                return i
            }
            switch feature.operation {
            case .map(let source, let mapping):
                let i = try resolve(source)
                guard i < raw.count, raw[i].kind == .categorical else {
                    throw BundleLoadError("Derived feature '\(feature.name)' maps '\(source)', which is not a categorical feature.")
                }
                steps.append(.map(source: i, table: Self.codeTable(raw[i], mapping)))
            case .ratio(let a, let b): steps.append(.ratio(try resolve(a), try resolve(b)))
            case .difference(let a, let b): steps.append(.difference(try resolve(a), try resolve(b)))
            case .product(let a, let b): steps.append(.product(try resolve(a), try resolve(b)))
            }
            index[feature.name] = raw.count + steps.count - 1
        }
        var sources: [Int] = []
        for name in modelFeatures {
            guard let i = index[name] else {
                throw BundleLoadError("Model feature '\(name)' is neither a bundle feature nor a derived feature.")
            }
            sources.append(i)
        }
        rawCount = raw.count
        self.steps = steps
        modelSources = sources
    }

    /// A categorical feature's value as the encoder gives it (its code) → the mapped number.
    private static func codeTable(_ spec: FeatureSpec, _ mapping: [String: Double]) -> [Double: Double] {
        var table: [Double: Double] = [:]
        for (position, label) in (spec.categories ?? []).enumerated() {
            guard let value = mapping[label] else { continue }
            let code = spec.integerCodes == true ? Double(label) ?? Double(position) : Double(position)
            table[code] = value
        }
        return table
    }

    /// Computes the derived values of `extended` (raw values already in place) in order.
    @inline(__always)
    public func derive(_ extended: UnsafeMutablePointer<Double>) {
        for (k, step) in steps.enumerated() {
            let value: Double
            switch step {
            case .map(let source, let table):
                value = table[extended[source]] ?? .nan
            case .ratio(let a, let b):
                let denominator = extended[b]
                value = denominator == 0 ? .nan : extended[a] / denominator
            case .difference(let a, let b):
                value = extended[a] - extended[b]
            case .product(let a, let b):
                value = extended[a] * extended[b]
            }
            extended[rawCount + k] = value
        }
    }
}
