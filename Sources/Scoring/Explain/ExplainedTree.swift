/// A binary tree as path-dependent TreeSHAP walks it, whatever library wrote it.
///
/// Nodes are plain indices; `root` is the first one. The tree decides where a row goes
/// (`goesLeft`, with its library's casts, missing-value and category rules) and how many
/// training rows reached each node (`cover`: LightGBM's counts, scikit-learn's
/// `weighted_n_node_samples`), which weight the paths a row does not take.
protocol ExplainedTree {
    /// The root node, or nil for a one-leaf tree (it contributes nothing).
    var root: Int? { get }
    /// The deepest leaf's depth (sizes TreeSHAP's path scratch).
    var maxDepth: Int { get }
    /// The value a leaf adds to the raw score, or nil for an internal node.
    func leafValue(_ node: Int) -> Double?
    func splitFeature(_ node: Int) -> Int
    func leftChild(_ node: Int) -> Int
    func rightChild(_ node: Int) -> Int
    /// Whether `value` (as `FeatureMatrix` holds it) goes to the left child of internal `node`.
    func goesLeft(node: Int, value: Double) -> Bool
    /// Training rows (or their weight) that reached `node`.
    func cover(_ node: Int) -> Double
}

/// LightGBM's trees: internal nodes are ≥ 0, leaves are `~leaf`.
extension Tree: ExplainedTree {
    var root: Int? { numLeaves > 1 ? 0 : nil }
    func leafValue(_ node: Int) -> Double? { node < 0 ? leafValues[~node] : nil }
    func splitFeature(_ node: Int) -> Int { splitFeatures[node] }
    func leftChild(_ node: Int) -> Int { leftChildren[node] }
    func rightChild(_ node: Int) -> Int { rightChildren[node] }
    func cover(_ node: Int) -> Double { count(node) }
}
