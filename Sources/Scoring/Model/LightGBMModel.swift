import Foundation

/// A LightGBM binary classifier, read from LightGBM's text format and evaluated natively.
///
/// Predictions match LightGBM's own to the last bit: values are doubles throughout, trees
/// are summed in LightGBM's order, and every split rule (missing types, default directions,
/// categorical bitsets, linear leaves) follows LightGBM 4.x.
public struct LightGBMModel: Sendable {
    /// Feature names in the model's order (the order of `FeatureMatrix` columns).
    public let featureNames: [String]
    /// LightGBM's per-feature `feature_infos`: `[min:max]`, a `:`-separated category list, or `none`.
    public let featureInfos: [String]
    /// Indices of the categorical features, ascending.
    public let categoricalFeatures: [Int]
    /// For models trained from pandas: the labels of each categorical feature (in
    /// `categoricalFeatures` order); a label's code is its position.
    public let pandasCategorical: [[PandasCategory]]?
    /// The σ of `objective=binary sigmoid:σ`.
    public let sigmoid: Double
    /// Random-forest mode: the raw score is the mean of the trees, not their sum.
    public let averageOutput: Bool
    /// The model format version line (`v3`, `v4`).
    public let formatVersion: String
    /// The trees as LightGBM wrote them (explanations walk these).
    public let trees: [Tree]
    /// Whether any tree has linear leaves (`is_linear=1`): such models are scored but not explained.
    public let hasLinearLeaves: Bool
    let ensemble: TreeEnsemble
    /// Explanation tables, built on the first request for contributions.
    let contributionPlans = ContributionPlans()

    public var featureCount: Int { featureNames.count }

    /// Reads a model from LightGBM's text format.
    public init(text: String) throws(ModelLoadError) {
        var parser = LightGBMTextParser(text: text)
        let definition = try parser.parse()
        featureNames = definition.featureNames
        featureInfos = definition.featureInfos
        categoricalFeatures = definition.categoricalFeatures
        pandasCategorical = definition.pandasCategorical
        sigmoid = definition.sigmoid
        averageOutput = definition.averageOutput
        formatVersion = definition.version
        trees = definition.trees
        hasLinearLeaves = definition.trees.contains(where: \.isLinear)
        ensemble = try TreeEnsemble(trees: definition.trees)
    }

    /// Reads a model file (`model.txt`).
    public init(contentsOf url: URL) throws(ModelLoadError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelLoadError("Cannot read the model file \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelLoadError("The model file \(url.path) is not UTF-8 text: is it a LightGBM text model (model.txt)?")
        }
        try self.init(text: text)
    }

    /// LightGBM's binary transform of a raw score: 1 / (1 + e^(−σ·raw)).
    @inline(__always)
    public func probability(rawScore: Double) -> Double {
        1.0 / (1.0 + exp(-sigmoid * rawScore))
    }

    /// The raw score (log-odds divided by σ) of every row: the sum of the trees, or their
    /// mean in random-forest mode. Rows are split across `threads` workers.
    public func rawScores(_ matrix: FeatureMatrix, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Double] {
        let rows = matrix.rowCount
        guard rows > 0 else { return [] }
        let ensemble = self.ensemble
        let stride = matrix.featureCount
        let iterations = Double(ensemble.roots.count)
        let average = averageOutput
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows) { output, initialized in
                guard let inputBase = values.baseAddress, let outBase = output.baseAddress else { return }
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outBase)
                ParallelRows.run(rowCount: rows, threads: threads) { range in
                    ensemble.sumTrees(rows: input.base + range.lowerBound * stride, stride: stride,
                                      rowCount: range.count, output: out.base + range.lowerBound)
                    if average {
                        for r in range { out.base[r] /= iterations }
                    }
                }
                initialized = rows
            }
        }
    }

    /// The probability of the positive class (default) for every row.
    public func probabilities(_ matrix: FeatureMatrix, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Double] {
        rawScores(matrix, threads: threads).map { probability(rawScore: $0) }
    }
}
