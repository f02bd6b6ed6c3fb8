extension Tree {
    /// An XGBoost tree rewritten in LightGBM's node form, so that the flat evaluator and
    /// the TreeSHAP code serve both libraries. Each decision is kept exactly:
    ///
    /// - numeric: XGBoost goes left when `Float(x) < c`. Float rounding is monotone, so for a
    ///   double x that holds exactly when x ≤ T, T the largest double whose float is below c:
    ///   the midpoint between c and the float below it, or the double before that midpoint when
    ///   the tie rounds up to c (`lastDoubleBelow`). LightGBM's `x <= T` with missing type NaN
    ///   and XGBoost's default side then decides as XGBoost does, without casting the input.
    /// - categorical: XGBoost sends the listed categories right and everything else (other
    ///   codes, negative or too large values) left. With its children swapped that is
    ///   LightGBM's rule: the set goes "left", everything else "right"; NaN goes to XGBoost's
    ///   default side (`CategoryCodes.xgboost`).
    ///
    /// `weight` is DART's tree weight: XGBoost multiplies each leaf by it in float.
    init(xgboost record: XGBoostTreeRecord, weight: Float?, number: Int) throws(ModelLoadError) {
        var internalIndex = [Int](repeating: -1, count: record.left.count)
        var leafIndex = [Int](repeating: -1, count: record.left.count)
        var internals: [Int] = []
        var leaves: [Int] = []
        // Preorder from the root: nodes XGBoost pruned (deleted) are unreachable and left out.
        var stack = [0]
        var visited = 0
        while let node = stack.popLast() {
            visited += 1
            guard visited <= record.left.count else {
                throw ModelLoadError(tree: number, "The XGBoost tree's children form a cycle.")
            }
            if record.left[node] < 0 {
                leafIndex[node] = leaves.count
                leaves.append(node)
            } else {
                internalIndex[node] = internals.count
                internals.append(node)
                stack.append(record.right[node])
                stack.append(record.left[node])
            }
        }
        func child(_ node: Int) -> Int { internalIndex[node] >= 0 ? internalIndex[node] : ~leafIndex[node] }

        var thresholds: [Double] = []
        var types: [DecisionType] = []
        var lefts: [Int] = []
        var rights: [Int] = []
        var boundaries = [0]
        var words: [UInt32] = []
        for node in internals {
            let defaultLeft = record.defaultLeft[node]
            if let categories = record.categories[node] {
                let valid = categories.filter { $0 >= 0 && $0 < 16_777_216 }
                let count = (valid.max() ?? 0) / 32 + 1
                var set = [UInt32](repeating: 0, count: count)
                for category in valid { set[category / 32] |= 1 << UInt32(category % 32) }
                thresholds.append(Double(boundaries.count - 1))
                words += set
                boundaries.append(words.count)
                // Swapped children: LightGBM's "left" is XGBoost's right, so its default side flips.
                types.append(Self.decisionType(categorical: true, defaultLeft: !defaultLeft))
                lefts.append(child(record.right[node]))
                rights.append(child(record.left[node]))
            } else {
                thresholds.append(Self.lastDoubleBelow(record.conditions[node]))
                types.append(Self.decisionType(categorical: false, defaultLeft: defaultLeft))
                lefts.append(child(record.left[node]))
                rights.append(child(record.right[node]))
            }
        }
        let leafValues = leaves.map { node in
            let leaf = record.conditions[node]
            return Double(weight.map { leaf * $0 } ?? leaf)
        }
        self.init(
            leafValues: leafValues, splitFeatures: internals.map { record.features[$0] }, thresholds: thresholds,
            decisionTypes: types, leftChildren: lefts, rightChildren: rights,
            internalCounts: internals.map { Double(record.cover[$0]) }, leafCounts: leaves.map { Double(record.cover[$0]) },
            catBoundaries: boundaries, catThreshold: words, linearLeaves: nil, categoryCodes: .xgboost)
    }

    /// LightGBM's decision type for an XGBoost split: missing type NaN, its default side.
    private static func decisionType(categorical: Bool, defaultLeft: Bool) -> DecisionType {
        DecisionType(isCategorical: categorical, defaultLeft: defaultLeft, missingType: .nan)
    }

    /// The largest double x with `Float(x) < c` (c finite): x ≤ this iff XGBoost goes left.
    static func lastDoubleBelow(_ c: Float) -> Double {
        let below = c.nextDown
        // Both are floats, so their midpoint is exact in double; a tie rounds to the float
        // with an even significand.
        let midpoint = (Double(below) + Double(c)) / 2
        let belowIsEven = below.bitPattern & 1 == 0
        // Below the lowest float only −∞: x rounds to it from −(max + half an ulp), a tie to "even" −∞.
        if below == -.infinity { return -(Double(Float.greatestFiniteMagnitude) + 0x1p103) }
        return belowIsEven ? midpoint : midpoint.nextDown
    }
}
