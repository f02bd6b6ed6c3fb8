/// The estimator at the end of a scikit-learn pipeline, as LoanRisk scores it.
enum SklearnEstimator: Sendable {
    case trees(SklearnTrees)
    case linear(SklearnLinear)
}

/// DecisionTree, RandomForest, ExtraTrees, GradientBoosting and HistGradientBoosting
/// classifiers: `raw = (baseline + Σ scale × leaf) / divisor`, trees in the model's order.
struct SklearnTrees: Sendable {
    enum Output: Sendable {
        /// Trees and forests: the mean of the trees' class-1 fractions is the probability.
        case probability
        /// Boosting: log-odds, turned into a probability by scipy's `expit`.
        case logOdds
    }

    let trees: [SklearnTree]
    let forest: SklearnForestLayout
    let baseline: Double
    /// GradientBoosting's learning rate (each tree adds `learning_rate * value`), else 1.
    let scale: Double
    /// A forest's tree count (the sum is divided by it, as `predict_proba` does), else 1.
    let divisor: Double
    let output: Output
}

/// Binary LogisticRegression: `raw = x · coef + intercept`, `p = expit(raw)`.
struct SklearnLinear: Sendable {
    let coefficients: [Double]
    let intercept: Double
    /// Each column's mean over the training data: contributions are coef × (x − mean).
    let means: [Double]
}

extension SklearnEstimator {
    /// Reads the document's estimator for `columnCount` columns, refusing what it cannot score.
    init(_ record: SklearnDocument.Estimator, columnCount: Int) throws(ModelLoadError) {
        switch record.type {
        case "DecisionTreeClassifier", "RandomForestClassifier", "ExtraTreesClassifier":
            let trees = try Self.trees(record, rule: record.sparseInput == true ? .float32NaNRight : .float32, columnCount: columnCount) { count in
                1.0 / Double(count)
            }
            self = .trees(SklearnTrees(
                trees: trees, forest: SklearnForestLayout(trees: trees, columnCount: columnCount), baseline: 0, scale: 1, divisor: Double(trees.count),
                output: .probability))
        case "GradientBoostingClassifier":
            guard let baseline = record.baseline, let rate = record.learningRate else {
                throw ModelLoadError("The GradientBoostingClassifier has no baseline or learning rate.")
            }
            let trees = try Self.trees(record, rule: .float32NaNRight, columnCount: columnCount) { _ in rate }
            self = .trees(SklearnTrees(
                trees: trees, forest: SklearnForestLayout(trees: trees, columnCount: columnCount), baseline: baseline, scale: rate, divisor: 1, output: .logOdds))
        case "HistGradientBoostingClassifier":
            guard let baseline = record.baseline else { throw ModelLoadError("The HistGradientBoostingClassifier has no baseline.") }
            let trees = try Self.trees(record, rule: .float64, columnCount: columnCount) { _ in 1 }
            self = .trees(SklearnTrees(
                trees: trees, forest: SklearnForestLayout(trees: trees, columnCount: columnCount), baseline: baseline, scale: 1, divisor: 1, output: .logOdds))
        case "LogisticRegression":
            guard let coefficients = record.coef, let intercept = record.intercept, let means = record.means else {
                throw ModelLoadError("The LogisticRegression has no coefficients, intercept or column means.")
            }
            guard coefficients.count == columnCount, means.count == columnCount else {
                throw ModelLoadError(
                    "The LogisticRegression has \(coefficients.count) coefficients and \(means.count) means for \(columnCount) columns.")
            }
            self = .linear(SklearnLinear(coefficients: coefficients, intercept: intercept, means: means.map { $0 ?? .nan }))
        default:
            throw ModelLoadError(
                "The scikit-learn estimator \(record.type) is not supported (DecisionTreeClassifier, RandomForestClassifier, "
                    + "ExtraTreesClassifier, GradientBoostingClassifier, HistGradientBoostingClassifier and LogisticRegression are).")
        }
    }

    private static func trees(
        _ record: SklearnDocument.Estimator, rule: SklearnTree.Rule, columnCount: Int, leafScale: (Int) -> Double
    ) throws(ModelLoadError) -> [SklearnTree] {
        guard let records = record.trees, !records.isEmpty else { throw ModelLoadError("The \(record.type) has no trees.") }
        let scale = leafScale(records.count)
        var trees: [SklearnTree] = []
        for (index, tree) in records.enumerated() {
            trees.append(try SklearnTree(
                tree, index: index, rule: rule, columnCount: columnCount, leafScale: scale, knownCategories: record.knownCategories ?? []))
        }
        return trees
    }
}
