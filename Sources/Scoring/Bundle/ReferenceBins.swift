/// Drift reference bins as the training pipeline makes them (`training/loanrisk_training/
/// reference.py`), so a bundle written around an imported model has the same kind of
/// reference as one LoanRisk trained: numbers get up to 10 bins at the deciles of the present
/// values (NumPy's default linear quantiles, duplicate edges merged), or one bin per value with
/// edges half-way between when there are at most 10 distinct values; proportions are shares
/// of all rows, so they and `missing` sum to 1.
enum ReferenceBins {
    /// The bins of a numeric column (NaN = missing), as `reference.numeric` plus `missing`.
    static func numeric(_ values: [Double], kind: String? = nil) -> BundleManifest.FeatureReference {
        let present = values.filter { !$0.isNaN }
        let edges = edges(present)
        let counts = counts(present, edges: edges)
        let total = Double(max(values.count, 1))
        return BundleManifest.FeatureReference(
            kind: kind, edges: edges, proportions: counts.map { Double($0) / total },
            missing: Double(values.count - present.count) / total)
    }

    /// `edges_for`: the bin edges of the present values.
    static func edges(_ present: [Double]) -> [Double] {
        let sorted = present.sorted()
        var distinct: [Double] = []
        for value in sorted where distinct.last != value { distinct.append(value) }
        guard let first = distinct.first, let last = distinct.last else { return [0, 0] }
        if distinct.count == 1 { return [first, first] }
        if distinct.count <= 10 {
            return [first] + zip(distinct, distinct.dropFirst()).map { ($0 + $1) / 2 } + [last]
        }
        var edges: [Double] = []
        // np.linspace(0, 1, 11): i × 0.1, the last exactly 1.
        for i in 0...10 {
            let edge = quantile(sorted, i == 10 ? 1 : Double(i) * 0.1)
            if edges.last != edge { edges.append(edge) }
        }
        return edges
    }

    /// NumPy's `quantile(method="linear")` of sorted values, with its rounding: the virtual
    /// index (n − 1)·q, and the interpolation taken from the upper neighbour when the
    /// fraction is at least a half (`_lerp`).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let n = sorted.count
        let virtual = Double(n - 1) * q
        if virtual >= Double(n - 1) { return sorted[n - 1] }
        if virtual < 0 { return sorted[0] }
        let previous = virtual.rounded(.down)
        let gamma = virtual - previous
        let a = sorted[Int(previous)], b = sorted[Int(previous) + 1]
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }

    /// Rows per bin: bin i holds edges[i] <= x < edges[i+1], the last also x = edges.last,
    /// values outside the edges in the first or last bin (`DriftBins.numericBin`, the bins
    /// drift tallies an upload into).
    static func counts(_ present: [Double], edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count - 1)
        edges.withUnsafeBufferPointer { edges in
            for value in present { counts[DriftBins.numericBin(value, edges: edges).bin] += 1 }
        }
        return counts
    }

    /// A categorical column's shares: codes (positions in `categories`) counted per category,
    /// NaN as missing; an unseen label (`FeatureValue.unseenCategory`) counts in neither.
    static func categorical(_ codes: [Double], categories: [String]) -> BundleManifest.FeatureReference {
        var counts = [Int](repeating: 0, count: categories.count)
        var missing = 0
        for value in codes {
            if FeatureValue.isUnseen(value) { continue }
            if value.isNaN {
                missing += 1
            } else if let code = Int(exactly: value), code >= 0, code < categories.count {
                counts[code] += 1
            }
        }
        let total = Double(max(codes.count, 1))
        return BundleManifest.FeatureReference(
            kind: "categorical", proportions: counts.map { Double($0) / total }, categories: categories, missing: Double(missing) / total)
    }
}
