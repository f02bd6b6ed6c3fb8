/// One input's reference distribution as PSI bins: the bundle's training bins, then a bin
/// for missing values and, for a categorical input, one for every category training never
/// saw. Numeric values outside the training range go to the first or last bin (as the
/// training pipeline binned them) and are also counted apart, as out of range.
public struct DriftBins: Sendable, Equatable {
    public enum Layout: Sendable, Equatable {
        /// Bin i holds `edges[i] <= x < edges[i+1]`, the last also `x == edges.last`.
        case numeric(edges: [Double])
        /// Bin i holds category code i (the position of the label in the schema).
        case categorical(labels: [String])
    }

    public let name: String
    public let layout: Layout
    /// Expected proportions, one per bin: the value bins, then missing, then (categorical) unseen.
    public let expected: [Double]

    /// Bins before the missing bin.
    public var valueBinCount: Int {
        switch layout {
        case .numeric(let edges): return edges.count - 1
        case .categorical(let labels): return labels.count
        }
    }

    public var missingBin: Int { valueBinCount }
    /// The unseen-category bin (categorical inputs only).
    public var unseenBin: Int? {
        if case .categorical = layout { return valueBinCount + 1 }
        return nil
    }

    public var binCount: Int { expected.count }

    /// The bins of `spec` from its reference, or nil when the reference is missing or
    /// malformed (then the input has no drift figures, and the report says so).
    public init?(spec: FeatureSpec, reference: BundleManifest.FeatureReference?) {
        guard let reference else { return nil }
        name = spec.name
        let missing = reference.missing ?? 0
        if spec.kind == .categorical {
            guard let labels = spec.categories, let categories = reference.categories, let proportions = reference.proportions,
                  categories.count == proportions.count else { return nil }
            let share = Dictionary(zip(categories, proportions), uniquingKeysWith: { a, _ in a })
            layout = .categorical(labels: labels)
            expected = labels.map { share[$0] ?? 0 } + [missing, 0]
        } else {
            guard let edges = reference.edges, let proportions = reference.proportions, edges.count >= 2,
                  edges.count == proportions.count + 1, edges.allSatisfy(\.isFinite),
                  zip(edges, edges.dropFirst()).allSatisfy({ $0 <= $1 }) else { return nil }
            layout = .numeric(edges: edges)
            expected = proportions + [missing]
        }
    }

    /// The score's bins (no missing bin is ever filled: every scored row has a score).
    public init?(name: String, reference: BundleManifest.FeatureReference?) {
        guard let edges = reference?.edges, let proportions = reference?.proportions, edges.count >= 2,
              edges.count == proportions.count + 1, zip(edges, edges.dropFirst()).allSatisfy({ $0 <= $1 }) else { return nil }
        self.name = name
        layout = .numeric(edges: edges)
        expected = proportions + [0]
    }

    /// Where a numeric value falls: its bin, and whether it is below or above the training range.
    @inline(__always)
    public static func numericBin(_ value: Double, edges: UnsafeBufferPointer<Double>) -> (bin: Int, outside: Int) {
        let last = edges.count - 1
        if value < edges[0] { return (0, -1) }
        if value >= edges[last] { return (last - 1, value > edges[last] ? 1 : 0) }
        // The last edge at or below the value.
        var low = 0, high = last
        while high - low > 1 {
            let middle = (low + high) >> 1
            if edges[middle] <= value { low = middle } else { high = middle }
        }
        return (low, 0)
    }
}
