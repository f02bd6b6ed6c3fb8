/// All trees of a model in the layout built for prediction: one flat array of 16-byte
/// nodes, each tree in preorder, plus the category bitsets of every categorical split.
struct TreeEnsemble: Sendable {
    let nodes: [FlatNode]
    /// Index in `nodes` of each tree's root, in LightGBM's order (the order of summation).
    let roots: [Int]
    let categoryWords: [UInt32]
    /// Per tree, its linear leaves (indexed by leaf), or nil for a constant-leaf tree.
    let linearLeaves: [[Tree.LinearLeaf]?]
    /// Whether any tree has linear leaves (only the block evaluator computes them).
    let hasLinearLeaves: Bool
    /// Features used by categorical splits, whose values are turned into codes once per block.
    let categoricalFeatures: [Int]
    /// The most nodes in one tree (bounds the evaluation stack).
    let maxTreeNodes: Int
    /// How categorical values become codes (the trees' rule; all trees of a model share it).
    let categoryCodes: CategoryCodes

    init(trees: [Tree]) throws(ModelLoadError) {
        var nodes: [FlatNode] = []
        nodes.reserveCapacity(trees.reduce(0) { $0 + 2 * $1.numLeaves - 1 })
        var roots: [Int] = []
        var words: [UInt32] = []
        for (number, tree) in trees.enumerated() {
            roots.append(nodes.count)
            let wordBase = words.count
            words.append(contentsOf: tree.catThreshold)
            if tree.numLeaves == 1 {
                nodes.append(Self.leaf(tree, 0))
                continue
            }
            guard nodes.count + 2 * tree.numLeaves < Int(Int32.max) else {
                throw ModelLoadError(tree: number, "The model is too large to lay out (over 2³¹ nodes).")
            }
            try Self.append(tree, node: 0, wordBase: wordBase, into: &nodes, treeNumber: number)
        }
        words.append(0)  // a sentinel, so the array always has a base address
        self.nodes = nodes
        self.roots = roots
        self.categoryWords = words
        self.linearLeaves = trees.map(\.linearLeaves)
        self.hasLinearLeaves = trees.contains { $0.linearLeaves != nil }
        var categorical = Set<Int>()
        for tree in trees {
            for (node, type) in tree.decisionTypes.enumerated() where type.isCategorical { categorical.insert(tree.splitFeatures[node]) }
        }
        self.categoricalFeatures = categorical.sorted()
        self.maxTreeNodes = trees.map { 2 * $0.numLeaves - 1 }.max() ?? 1
        self.categoryCodes = trees.first?.categoryCodes ?? .lightgbm
    }

    private static func leaf(_ tree: Tree, _ leaf: Int) -> FlatNode {
        // A leaf keeps its leaf index in `right`, for linear leaves.
        FlatNode(value: tree.leafValues[leaf], right: Int32(leaf), info: FlatNode.Kind.leaf.rawValue << 28)
    }

    /// Appends `node` and its subtree in preorder (left subtree first, right after).
    private static func append(_ tree: Tree, node: Int, wordBase: Int, into nodes: inout [FlatNode], treeNumber: Int) throws(ModelLoadError) {
        let feature = tree.splitFeatures[node]
        guard feature <= Int(FlatNode.featureMask) else {
            throw ModelLoadError(tree: treeNumber, "Feature index \(feature) is beyond the 2²⁸ features supported.")
        }
        let type = tree.decisionTypes[node]
        let threshold = tree.thresholds[node]
        var value = threshold
        if type.isCategorical {
            let set = Int(threshold)
            let start = wordBase + tree.catBoundaries[set]
            let count = tree.catBoundaries[set + 1] - tree.catBoundaries[set]
            value = Double(bitPattern: UInt64(start) << 32 | UInt64(count))
        }
        var kind = Self.kind(for: type, threshold: threshold)
        if kind == .categorical, tree.categoryCodes == .xgboost, type.defaultLeft { kind = .categoricalNaNLeft }
        let index = nodes.count
        nodes.append(FlatNode(value: value, right: 0, info: kind.rawValue << 28 | UInt32(feature)))
        try appendChild(tree, tree.leftChildren[node], wordBase: wordBase, into: &nodes, treeNumber: treeNumber)
        nodes[index].right = Int32(nodes.count)
        try appendChild(tree, tree.rightChildren[node], wordBase: wordBase, into: &nodes, treeNumber: treeNumber)
    }

    private static func appendChild(_ tree: Tree, _ child: Int, wordBase: Int, into nodes: inout [FlatNode], treeNumber: Int) throws(ModelLoadError) {
        if child < 0 {
            nodes.append(leaf(tree, ~child))
        } else {
            try append(tree, node: child, wordBase: wordBase, into: &nodes, treeNumber: treeNumber)
        }
    }

    /// Folds LightGBM's numerical decision (missing type, default direction) into one
    /// comparison. LightGBM first turns NaN into 0.0 unless the missing type is NaN; then
    /// "missing" (zero for type Zero, NaN for type NaN) goes to the default side; otherwise
    /// x ≤ t goes left. With type None, NaN therefore goes where 0.0 goes: left iff 0 ≤ t.
    static func kind(for type: DecisionType, threshold: Double) -> FlatNode.Kind {
        if type.isCategorical { return .categorical }
        switch type.missingType {
        case .none: return 0 <= threshold ? .lessOrEqualNaNLeft : .lessOrEqual
        case .nan: return type.defaultLeft ? .lessOrEqualNaNLeft : .lessOrEqual
        case .zero: return type.defaultLeft ? .lessOrEqualZeroLeft : .lessOrEqualZeroRight
        }
    }
}
