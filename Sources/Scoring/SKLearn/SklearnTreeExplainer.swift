import Foundation

/// A scikit-learn tree model's trees in LightGBM's node form with their Linear TreeSHAP
/// plans, built once per model: contributions over the columns the estimator reads come
/// from the same `TreeContributions` that explains LightGBM and XGBoost. Nil when a tree
/// cannot be rewritten (categorical splits), which keeps the recursive TreeSHAP.
struct SklearnTreeExplainer: Sendable {
    let trees: [Tree]
    let baseline: Double
    let plans = ContributionPlans()

    init?(_ trees: SklearnTrees) {
        var converted: [Tree] = []
        converted.reserveCapacity(trees.trees.count)
        for tree in trees.trees {
            guard let tree = Tree(sklearn: tree) else { return nil }
            converted.append(tree)
        }
        self.trees = converted
        baseline = trees.baseline
    }

    /// Per row of `columns` (the transformed rows, `width` a row), `width + 1` values: each
    /// column's contribution, then the expected value.
    func contributions(columns values: [Double], width: Int, threads: Int) -> [Double] {
        let matrix = FeatureMatrix(featureCount: width, computed: values)
        return TreeContributions.compute(trees: trees, plans: plans, matrix: matrix, threads: threads, baseValue: baseline)
    }
}
