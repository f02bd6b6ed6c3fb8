extension Tree {
    /// A scikit-learn tree rewritten in LightGBM's node form, so that its contributions come
    /// from the shared Linear TreeSHAP (`TreeContributions`), O(leaves × depth) a row, rather
    /// than the recursion's O(leaves × depth²). Nil for a tree with categorical splits
    /// (HistGradientBoosting's bitsets), which keeps the recursion.
    ///
    /// Each decision is kept exactly. The float32 rules go left when `Double(Float(x)) ≤ t`:
    /// with f the largest float not above t, that is `Float(x) ≤ f`, i.e. x ≤ the largest
    /// double whose float is below f's successor (`lastDoubleBelow`). NaN goes to the node's
    /// `missing_go_to_left` (always right for GradientBoosting's rule). HistGradientBoosting's
    /// float64 rule is LightGBM's own: x ≤ t. Leaf values are scaled as `shap` scales them.
    init?(sklearn tree: SklearnTree) {
        guard tree.leftCategories.allSatisfy({ $0 == nil }) else { return nil }
        var internalIndex = [Int](repeating: -1, count: tree.left.count)
        var leafIndex = [Int](repeating: -1, count: tree.left.count)
        var internals: [Int] = []
        var leaves: [Int] = []
        var stack = [0]
        while let node = stack.popLast() {
            if tree.isLeaf(node) {
                leafIndex[node] = leaves.count
                leaves.append(node)
            } else {
                internalIndex[node] = internals.count
                internals.append(node)
                stack.append(tree.right[node])
                stack.append(tree.left[node])
            }
        }
        func child(_ node: Int) -> Int { internalIndex[node] >= 0 ? internalIndex[node] : ~leafIndex[node] }
        self.init(
            leafValues: leaves.map { tree.value[$0] * tree.leafScale },
            splitFeatures: internals.map { tree.feature[$0] },
            thresholds: internals.map { Self.sklearnThreshold(tree.threshold[$0], rule: tree.rule) },
            decisionTypes: internals.map { node in
                DecisionType(isCategorical: false, defaultLeft: tree.rule == .float32NaNRight ? false : tree.missingLeft[node], missingType: .nan)
            },
            leftChildren: internals.map { child(tree.left[$0]) }, rightChildren: internals.map { child(tree.right[$0]) },
            internalCounts: internals.map { tree.cover[$0] }, leafCounts: leaves.map { tree.cover[$0] },
            catBoundaries: [0], catThreshold: [], linearLeaves: nil)
    }

    /// The largest double x going left at threshold `t` under `rule` (`x <= result`).
    static func sklearnThreshold(_ t: Double, rule: SklearnTree.Rule) -> Double {
        guard rule != .float64, t.isFinite else { return t }
        var f = Float(t)
        if Double(f) > t { f = f.nextDown }
        // Past the largest float only +∞, which x reaches from max + half an ulp (a tie to "even" +∞).
        if f == .greatestFiniteMagnitude { return (Double(Float.greatestFiniteMagnitude) + 0x1p103).nextDown }
        return lastDoubleBelow(f.nextUp)
    }
}
