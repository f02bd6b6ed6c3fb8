/// One scikit-learn tree as it was fitted: parallel node arrays in scikit-learn's numbering
/// (children −1 at a leaf), with the rule its estimator splits by. The flat evaluator
/// (`SklearnForest`) is built from these; explanations walk them (`ExplainedTree`).
struct SklearnTree: Sendable {
    /// How an estimator compares a value with a node.
    enum Rule: Sendable {
        /// DecisionTree / RandomForest / ExtraTrees: the input cast to float32, `x <= threshold`,
        /// NaN to the node's `missing_go_to_left`.
        case float32
        /// GradientBoosting's `predict_stages` (and trees read from sparse input): float32,
        /// `x <= threshold`, so NaN always goes right.
        case float32NaNRight
        /// HistGradientBoosting: float64, `x <= threshold`, NaN to `missing_go_to_left`,
        /// categorical bitsets.
        case float64
    }

    let rule: Rule
    let left: [Int]
    let right: [Int]
    let feature: [Int]
    let threshold: [Double]
    let missingLeft: [Bool]
    /// The value each leaf adds (a class-1 fraction, or a boosting tree's output).
    let value: [Double]
    let cover: [Double]
    /// Per node: the categories going left (HistGradientBoosting), else nil.
    let leftCategories: [[UInt32]?]
    /// Per node: the known categories of its feature (HistGradientBoosting), else nil.
    let knownCategories: [[UInt32]?]
    /// Explanations multiply leaf values by this (a forest's 1/trees, GradientBoosting's
    /// learning rate), as `shap` scales them.
    let leafScale: Double

    func isLeaf(_ node: Int) -> Bool { left[node] < 0 }

    /// Where `x` (a column value, before any cast) goes at internal `node`.
    func goesLeft(node: Int, value x: Double) -> Bool {
        switch rule {
        case .float32:
            let v = Double(Float(x))
            return v.isNaN ? missingLeft[node] : v <= threshold[node]
        case .float32NaNRight:
            return Double(Float(x)) <= threshold[node]
        case .float64:
            if x.isNaN { return missingLeft[node] }
            if let bits = leftCategories[node] {
                return Self.categoryGoesLeft(x, left: bits, known: knownCategories[node], missingLeft: missingLeft[node])
            }
            return x <= threshold[node]
        }
    }

    /// HistGradientBoosting's categorical rule (`_predict_one_from_raw_data`): negative or
    /// unknown categories go where missing values go.
    static func categoryGoesLeft(_ x: Double, left: [UInt32], known: [UInt32]?, missingLeft: Bool) -> Bool {
        guard x >= 0, x < 256 else { return missingLeft }
        let category = Int(x)
        if inBitset(left, category) { return true }
        if let known, inBitset(known, category) { return false }
        return missingLeft
    }

    @inline(__always)
    static func inBitset(_ words: [UInt32], _ value: Int) -> Bool {
        let word = value >> 5
        return word < words.count && (words[word] >> UInt32(value & 31)) & 1 == 1
    }

    /// The mean leaf value over the training rows (scaled), the tree's expected value.
    var expectedValue: Double {
        var total = 0.0
        for node in value.indices where isLeaf(node) { total += cover[node] / cover[0] * (value[node] * leafScale) }
        return total
    }
}

extension SklearnTree: ExplainedTree {
    var root: Int? { isLeaf(0) ? nil : 0 }

    var maxDepth: Int {
        var deepest = 0
        var stack = [(0, 0)]
        while let (node, depth) = stack.popLast() {
            if isLeaf(node) {
                deepest = max(deepest, depth)
            } else {
                stack.append((left[node], depth + 1))
                stack.append((right[node], depth + 1))
            }
        }
        return deepest
    }

    func leafValue(_ node: Int) -> Double? { isLeaf(node) ? value[node] * leafScale : nil }
    func splitFeature(_ node: Int) -> Int { feature[node] }
    func leftChild(_ node: Int) -> Int { left[node] }
    func rightChild(_ node: Int) -> Int { right[node] }
    func cover(_ node: Int) -> Double { cover[node] }
}

extension SklearnTree {
    /// Reads and checks one tree of the document.
    init(
        _ record: SklearnDocument.TreeRecord, index: Int, rule: Rule, columnCount: Int, leafScale: Double,
        knownCategories known: [[UInt32]]
    ) throws(ModelLoadError) {
        let count = record.left.count
        guard count > 0,
              [record.right.count, record.feature.count, record.threshold.count, record.missingLeft.count,
               record.value.count, record.cover.count].allSatisfy({ $0 == count })
        else { throw ModelLoadError(tree: index, "The tree's node arrays are empty or of different lengths.") }
        var leftCategories = [[UInt32]?](repeating: nil, count: count)
        var knownCategories = [[UInt32]?](repeating: nil, count: count)
        for node in 0..<count where record.left[node] >= 0 {
            let l = record.left[node], r = record.right[node]
            // Children come after their parent in scikit-learn's numbering: this also rules out cycles.
            guard l > node, r > node, l < count, r < count else {
                throw ModelLoadError(tree: index, "Node \(node) has children \(l) and \(r) outside the tree.")
            }
            guard (0..<columnCount).contains(record.feature[node]) else {
                throw ModelLoadError(tree: index, "Node \(node) splits on column \(record.feature[node]) of \(columnCount).")
            }
            if let bits = record.categories?[node] {
                guard rule == .float64 else { throw ModelLoadError(tree: index, "Only HistGradientBoosting has categorical splits.") }
                leftCategories[node] = bits
                if let row = record.known?[node] {
                    guard known.indices.contains(row) else {
                        throw ModelLoadError(tree: index, "Node \(node) names known categories \(row) of \(known.count).")
                    }
                    knownCategories[node] = known[row]
                }
            }
        }
        self.init(
            rule: rule, left: record.left, right: record.right, feature: record.feature, threshold: record.threshold.map { $0 ?? .infinity },
            missingLeft: record.missingLeft, value: record.value, cover: record.cover, leftCategories: leftCategories,
            knownCategories: knownCategories, leafScale: leafScale)
    }
}
