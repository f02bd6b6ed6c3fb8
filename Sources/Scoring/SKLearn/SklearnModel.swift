import Foundation

/// A scikit-learn classifier or pipeline, read from the LoanRisk JSON document that
/// `training/export_sklearn.py` writes (`"format": "loanrisk-sklearn"`) — never from a pickle —
/// and scored natively.
///
/// `predict_proba(X)[:, 1]` is reproduced to the last bit for the tree models (inputs cast
/// to float32 and `x <= threshold`, or float64 for HistGradientBoosting; baselines as stored;
/// trees summed in order) and within rtol 1e-12 for LogisticRegression (BLAS orders its dot
/// product its own way). The pipeline's preprocessing (`SklearnColumns`) runs first, so the
/// model reads the raw inputs a user sends (`featureNames` = `feature_names_in_`).
public struct SklearnModel: Sendable {
    /// The pipeline's raw inputs, in order.
    public let featureNames: [String]
    /// Categorical inputs' labels: their encoder's `categories_`, so a code is a position there.
    public let categoryLabels: [Int: [String]]
    /// The pipeline's steps by class name, the estimator last ("ColumnTransformer", "RandomForestClassifier").
    public let steps: [String]
    /// The scikit-learn version that fitted the model, as the exporter recorded it.
    public let sklearnVersion: String?
    /// The class whose probability is served (`classes_[1]`, the second of the sorted labels):
    /// it should be the one meaning default.
    public let positiveClass: String?
    let columns: SklearnColumns
    let estimator: SklearnEstimator
    /// The trees in the shared Linear TreeSHAP form (nil for linear models and categorical trees).
    let treeExplainer: SklearnTreeExplainer?

    /// Reads a `loanrisk-sklearn` document.
    public init(data: Data) throws(ModelLoadError) {
        let document: SklearnDocument
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            document = try decoder.decode(SklearnDocument.self, from: data)
        } catch {
            throw ModelLoadError("The file is not a LoanRisk scikit-learn document (training/export_sklearn.py writes them): \(error)")
        }
        guard document.format == SklearnDocument.format else {
            throw ModelLoadError("The document's format is \"\(document.format)\", not \"\(SklearnDocument.format)\".")
        }
        guard document.formatVersion == SklearnDocument.formatVersion else {
            throw ModelLoadError(
                "The scikit-learn document has format_version \(document.formatVersion); this LoanRisk reads version \(SklearnDocument.formatVersion).")
        }
        guard !document.inputs.isEmpty, !document.columns.isEmpty else { throw ModelLoadError("The scikit-learn model has no inputs.") }
        featureNames = document.inputs.map(\.name)
        var labels: [Int: [String]] = [:]
        for (index, input) in document.inputs.enumerated() {
            if let categories = input.categories { labels[index] = categories }
        }
        categoryLabels = labels
        steps = document.steps
        sklearnVersion = document.sklearnVersion
        positiveClass = document.positiveClass
        columns = try SklearnColumns(document.columns, inputs: document.inputs)
        estimator = try SklearnEstimator(document.estimator, columnCount: document.columns.count)
        if case .trees(let trees) = estimator { treeExplainer = SklearnTreeExplainer(trees) } else { treeExplainer = nil }
    }

    /// The raw score of every row: the probability itself for trees and forests, log-odds for
    /// boosting and logistic regression. Rows are split across `threads` workers.
    public func rawScores(_ matrix: FeatureMatrix, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Double] {
        let rows = matrix.rowCount
        guard rows > 0 else { return [] }
        let columns = self.columns
        let estimator = self.estimator
        let stride = matrix.featureCount
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows) { output, initialized in
                guard let inputBase = values.baseAddress, let outBase = output.baseAddress else { return }
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outBase)
                ParallelRows.run(rowCount: rows, threads: threads) { range in
                    Self.score(rows: range, input: input.base, stride: stride, columns: columns, estimator: estimator, output: out.base)
                }
                initialized = rows
            }
        }
    }

    /// Trees and forests give the probability as their raw score; boosting and logistic
    /// regression give log-odds, turned by scipy's `expit`: 1 / (1 + e^(−raw)).
    @inline(__always)
    public func probability(rawScore: Double) -> Double {
        if case .trees(let trees) = estimator, trees.output == .probability { return rawScore }
        return 1 / (1 + exp(-rawScore))
    }

    /// Rows scored per block: the block's columns stay in cache while every tree walks them.
    static let blockRows = SklearnForest<Double>.lockstepRows

    private static func score(
        rows: Range<Int>, input: UnsafePointer<Double>, stride: Int, columns: SklearnColumns, estimator: SklearnEstimator,
        output: UnsafeMutablePointer<Double>
    ) {
        switch estimator {
        case .trees(let trees):
            switch trees.forest {
            case .float32(let forest):
                scoreTrees(forest, trees, rows: rows, input: input, stride: stride, columns: columns, output: output)
            case .float64(let forest):
                scoreTrees(forest, trees, rows: rows, input: input, stride: stride, columns: columns, output: output)
            }
        case .linear(let linear):
            let width = columns.count
            let row = UnsafeMutablePointer<Double>.allocate(capacity: width)
            defer { row.deallocate() }
            for r in rows {
                columns.transform(row: input + r * stride, into: row)
                var dot = 0.0
                for c in 0..<width { dot += row[c] * linear.coefficients[c] }
                output[r] = dot + linear.intercept
            }
        }
    }

    /// Blocks of rows: their columns built (and cast to `Scalar`, as scikit-learn casts) once,
    /// then every tree walked by the whole block.
    private static func scoreTrees<Scalar>(
        _ forest: SklearnForest<Scalar>, _ trees: SklearnTrees, rows: Range<Int>, input: UnsafePointer<Double>, stride: Int,
        columns: SklearnColumns, output: UnsafeMutablePointer<Double>
    ) {
        let width = columns.count
        let block = UnsafeMutablePointer<Scalar>.allocate(capacity: blockRows * width)
        let row = UnsafeMutablePointer<Double>.allocate(capacity: width)
        defer {
            block.deallocate()
            row.deallocate()
        }
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(blockRows, rows.upperBound - start)
            for r in 0..<count {
                let source = input + (start + r) * stride
                let values: UnsafePointer<Double>
                if columns.isIdentity {
                    values = source
                } else {
                    columns.transform(row: source, into: row)
                    values = UnsafePointer(row)
                }
                let target = block + r * width
                for c in 0..<width { target[c] = Scalar(values[c]) }
            }
            let sums = output + start
            for r in 0..<count { sums[r] = trees.baseline }
            forest.accumulate(columns: block, rowCount: count, scale: trees.scale, into: sums)
            if trees.divisor != 1 {
                for r in 0..<count { sums[r] /= trees.divisor }
            }
            start += count
        }
    }
}
