import Foundation

/// A binary XGBoost classifier (`binary:logistic` or `binary:logitraw`, gbtree or DART),
/// read from the model XGBoost saves (`Booster.save_model("m.json")` or `"m.ubj"`,
/// xgboost 2.x and 3.x) and evaluated natively.
///
/// Scores are XGBoost's own to the last bit: each value is read as float32 would read it,
/// splits compare in float32 (`x < condition`, NaN to the default side, listed categories
/// right), and the leaves are added in float32 in tree order, starting from the base
/// margin. A model trained with early stopping is scored at its best iteration, as
/// `XGBClassifier.predict_proba` scores it.
public struct XGBoostModel: Sendable {
    public let featureNames: [String]
    /// XGBoost's type of each feature: "float"/"q" numeric, "int"/"i" whole numbers, "c" categorical.
    public let featureTypes: [String]
    /// `binary:logistic` or `binary:logitraw`.
    public let objective: String
    /// `base_score` as stored: a probability (logistic) or a margin (logitraw).
    public let baseScore: Float
    /// Where every row's sum starts: `-logf(1/base_score - 1)` for logistic, as XGBoost computes it.
    public let baseMargin: Float
    /// Boosting rounds in the file, and those scored (best iteration + 1 after early stopping).
    public let rounds: Int
    public let scoredRounds: Int
    /// `attributes.best_iteration`, when the model was trained with early stopping.
    public let bestIteration: Int?
    /// Whether the trees carry DART weights.
    public let isDART: Bool
    /// The xgboost version that saved the model, when recorded ("3.2.0").
    public let version: String?
    /// "JSON" or "UBJSON".
    public let encoding: String
    /// Training categories of each categorical feature (3.1+ `cats`), in XGBoost's code order.
    let categories: [Int: [String]]
    /// The scored trees in LightGBM's node form (see `Tree.init(xgboost:weight:number:)`).
    let trees: [Tree]
    let ensemble: TreeEnsemble
    /// Explanation tables, built on the first request for contributions.
    let contributionPlans = ContributionPlans()

    /// Reads a model saved by XGBoost as JSON or UBJSON (told apart by the first byte: UBJSON
    /// starts `{` then a length marker, JSON `{` then space or a quote).
    public init(data: Data) throws(ModelLoadError) {
        let isUBJSON = Self.isUBJSON(data)
        let root = isUBJSON ? try UBJSONReader.read(data) : try XGBoostJSONReader.read(data)
        try self.init(document: XGBoostDocument(root), encoding: isUBJSON ? "UBJSON" : "JSON")
    }

    /// Reads a model file (`.json` or `.ubj`).
    public init(contentsOf url: URL) throws(ModelLoadError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelLoadError("Cannot read the model file \(url.path): \(error.localizedDescription)")
        }
        try self.init(data: data)
    }

    /// Whether `data` looks like UBJSON: an object whose first key's length has a type marker.
    public static func isUBJSON(_ data: Data) -> Bool {
        guard data.count >= 2, data[data.startIndex] == UInt8(ascii: "{") else { return false }
        let next = data[data.startIndex + 1]
        return [UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"),
                UInt8(ascii: "$"), UInt8(ascii: "#")].contains(next)
    }

    init(document: XGBoostDocument, encoding: String) throws(ModelLoadError) {
        featureNames = document.featureNames
        featureTypes = document.featureTypes
        objective = document.objective.rawValue
        baseScore = document.baseScore
        switch document.objective {
        case .logistic:
            guard document.baseScore >= 0, document.baseScore <= 1 else {
                throw ModelLoadError("The XGBoost model's base_score \(document.baseScore) is not a probability between 0 and 1, as binary:logistic needs.")
            }
            baseMargin = Self.logit(document.baseScore)
        case .logitraw:
            baseMargin = document.baseScore
        }
        rounds = document.iterationIndptr.count - 1
        bestIteration = document.bestIteration
        if let best = document.bestIteration, best >= 0, best + 1 < rounds {
            scoredRounds = best + 1
        } else {
            scoredRounds = rounds
        }
        isDART = document.treeWeights != nil
        version = document.version
        self.encoding = encoding
        categories = document.categories
        let treeCount = document.iterationIndptr[scoredRounds]
        var trees: [Tree] = []
        trees.reserveCapacity(treeCount)
        for number in 0..<treeCount {
            trees.append(try Tree(xgboost: document.trees[number], weight: document.treeWeights?[number], number: number))
        }
        self.trees = trees
        ensemble = try TreeEnsemble(trees: trees)
    }

    /// XGBoost's `ProbToMargin` for the logistic loss: p bounded to [1e-6, 1 − 1e-6], then
    /// `-logf(1/p - 1)`, all in float32.
    static func logit(_ p: Float) -> Float {
        let epsilon: Float = 1e-6
        let bounded = min(max(p, epsilon), 1 - epsilon)
        return -logf(1 / bounded - 1)
    }

    /// XGBoost's sigmoid (`common::Sigmoid`, float32): `1 / (expf(min(-m, 88.7)) + 1 + 1e-16)`.
    static func sigmoid(_ margin: Float) -> Float {
        let x = min(-margin, 88.7 as Float)
        let denominator = expf(x) + 1 + (1e-16 as Float)
        return 1 / denominator
    }

    /// The margin (sum of the base margin and the trees, in float32) of every row, widened to
    /// double. Rows are split across `threads` workers.
    public func rawScores(_ matrix: FeatureMatrix, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Double] {
        margins(matrix, threads: threads).map(Double.init)
    }

    /// The float32 margins, as XGBoost's `predict(output_margin=True)` returns them.
    public func margins(_ matrix: FeatureMatrix, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Float] {
        let rows = matrix.rowCount
        guard rows > 0 else { return [] }
        let ensemble = self.ensemble
        let stride = matrix.featureCount
        let start = baseMargin
        return matrix.values.withUnsafeBufferPointer { values in
            [Float](unsafeUninitializedCapacity: rows) { output, initialized in
                guard let inputBase = values.baseAddress, let outBase = output.baseAddress else { return }
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outBase)
                ParallelRows.run(rowCount: rows, threads: threads) { range in
                    ensemble.sumTrees(rows: input.base + range.lowerBound * stride, stride: stride,
                                      rowCount: range.count, start: start, output: out.base + range.lowerBound)
                }
                initialized = rows
            }
        }
    }

    /// The probability for a margin, as XGBoost's `binary:logistic` computes it (float32
    /// sigmoid). For `binary:logitraw`, whose `predict()` is the margin itself, the same
    /// function of that margin.
    public func probability(rawScore: Double) -> Double {
        Double(Self.sigmoid(Float(rawScore)))
    }
}
