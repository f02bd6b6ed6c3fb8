extension Tree {
    /// Whether `value` goes to the left child at internal node `node` — LightGBM's rule, the
    /// same one the flat evaluator folds into `FlatNode.Kind` (see `TreeEnsemble.kind`); the
    /// explanations walk the trees as LightGBM wrote them. `value` is as `FeatureMatrix` stores it.
    func goesLeft(node: Int, value x: Double) -> Bool {
        let type = decisionTypes[node]
        if type.isCategorical {
            // LightGBM sends NaN right; XGBoost's splits send it to their default side.
            if x.isNaN { return categoryCodes == .xgboost && type.defaultLeft }
            let code = categoryCodes.code(x)
            guard code >= 0 else { return false }
            let category = Int(code)
            let set = Int(thresholds[node])
            let first = catBoundaries[set]
            let word = category >> 5
            guard word < catBoundaries[set + 1] - first else { return false }
            return (catThreshold[first + word] >> UInt32(category & 31)) & 1 == 1
        }
        let threshold = thresholds[node]
        switch type.missingType {
        case .none: return x.isNaN ? 0 <= threshold : x <= threshold
        case .nan: return x.isNaN ? type.defaultLeft : x <= threshold
        case .zero: return x.isNaN || x == 0 ? type.defaultLeft : x <= threshold
        }
    }

    /// Rows that reached an internal node (≥ 0) or a leaf (`~child`) in training.
    func count(_ child: Int) -> Double {
        child >= 0 ? internalCounts[child] : leafCounts[~child]
    }

    /// The deepest leaf's depth (0 for a one-leaf tree).
    var maxDepth: Int {
        guard numLeaves > 1 else { return 0 }
        var deepest = 0
        var stack = [(0, 1)]
        while let (node, depth) = stack.popLast() {
            for child in [leftChildren[node], rightChildren[node]] {
                if child >= 0 { stack.append((child, depth + 1)) } else { deepest = max(deepest, depth) }
            }
        }
        return deepest
    }

    /// The mean output over the training rows: each leaf's value weighted by its share of rows.
    var expectedValue: Double {
        guard numLeaves > 1 else { return leafValues[0] }
        let total = internalCounts[0]
        var value = 0.0
        for (leaf, output) in leafValues.enumerated() { value += (leafCounts[leaf] / total) * output }
        return value
    }
}
