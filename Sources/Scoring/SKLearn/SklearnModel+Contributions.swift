import Foundation

extension SklearnModel {
    /// Per row, each raw input's contribution to the raw score, then the expected value —
    /// `featureCount + 1` values summing to the raw score.
    ///
    /// Tree models: exact path-dependent TreeSHAP over the columns the estimator reads, with
    /// `weighted_n_node_samples` (HistGradientBoosting: the nodes' counts) as cover and leaf
    /// values scaled as `shap.TreeExplainer` scales them (a forest's 1/trees, GradientBoosting's
    /// learning rate): probability units for trees and forests, log-odds for boosting.
    /// LogisticRegression: coef × (x − training mean) per column, the expected value
    /// intercept + coef · mean, as `shap.LinearExplainer` computes them with the training data
    /// as background. A raw input's contribution is the sum over the columns it produced
    /// (its one-hot columns).
    public func contributions(_ matrix: FeatureMatrix, threads: Int = 1) throws(ExplanationError) -> [Double] {
        let inputs = featureCount
        let width = inputs + 1
        let rows = matrix.rowCount
        let columns = self.columns
        let estimator = self.estimator
        if let treeExplainer, rows > 0 {
            return Self.explain(matrix, columns: columns, explainer: treeExplainer, threads: threads)
        }
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
                guard let inputBase = values.baseAddress, let outputBase = output.baseAddress else { return }
                outputBase.initialize(repeating: 0, count: rows * width)
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outputBase)
                ParallelRows.run(rowCount: rows, threads: threads, minimumRows: 8) { range in
                    Self.explain(rows: range, input: input.base, inputs: inputs, columns: columns, estimator: estimator, output: out.base)
                }
                initialized = rows * width
            }
        }
    }

    /// Tree models in the shared form: the rows' transformed columns explained by Linear
    /// TreeSHAP, then each column's contribution added to the raw input it came from.
    private static func explain(_ matrix: FeatureMatrix, columns: SklearnColumns, explainer: SklearnTreeExplainer, threads: Int) -> [Double] {
        let inputs = matrix.featureCount
        let width = columns.count
        let rows = matrix.rowCount
        var transformed = [Double](repeating: .nan, count: rows * width)
        matrix.values.withUnsafeBufferPointer { values in
            transformed.withUnsafeMutableBufferPointer { out in
                guard let input = values.baseAddress, let output = out.baseAddress else { return }
                for r in 0..<rows { columns.transform(row: input + r * inputs, into: output + r * width) }
            }
        }
        let phi = explainer.contributions(columns: transformed, width: width, threads: threads)
        var output = [Double](repeating: 0, count: rows * (inputs + 1))
        for r in 0..<rows {
            let from = r * (width + 1)
            let to = r * (inputs + 1)
            for c in 0..<width { output[to + columns.columns[c].input] += phi[from + c] }
            output[to + inputs] = phi[from + width]
        }
        return output
    }

    private static func explain(
        rows: Range<Int>, input: UnsafePointer<Double>, inputs: Int, columns: SklearnColumns, estimator: SklearnEstimator,
        output: UnsafeMutablePointer<Double>
    ) {
        let width = columns.count
        let row = UnsafeMutablePointer<Double>.allocate(capacity: width)
        let phi = UnsafeMutablePointer<Double>.allocate(capacity: width + 1)
        defer {
            row.deallocate()
            phi.deallocate()
        }
        var expected = 0.0
        var recursions: [TreeSHAP<SklearnTree>] = []
        switch estimator {
        case .trees(let trees):
            recursions = trees.trees.map { TreeSHAP(tree: $0) }
            expected = trees.baseline
            for tree in trees.trees { expected += tree.expectedValue }
        case .linear(let linear):
            var dot = 0.0
            for c in 0..<width { dot += linear.coefficients[c] * linear.means[c] }
            expected = dot + linear.intercept
        }
        for r in rows {
            columns.transform(row: input + r * inputs, into: row)
            phi.initialize(repeating: 0, count: width + 1)
            switch estimator {
            case .trees:
                for recursion in recursions { recursion.accumulate(row: row, into: phi, featureCount: width) }
            case .linear(let linear):
                for c in 0..<width { phi[c] = linear.coefficients[c] * (row[c] - linear.means[c]) }
            }
            let out = output + r * (inputs + 1)
            for c in 0..<width { out[columns.columns[c].input] += phi[c] }
            out[inputs] = expected
        }
    }
}
