/// Small trees tabled once for every way a row can pass through them. A tree's
/// contributions depend on a row only through its decision at each internal node, so a tree
/// of K internal nodes has at most 2^K answers: computed here by Linear TreeSHAP when the
/// model is prepared, then looked up. For the shipped models (3 to 8 leaves a tree) a row
/// then costs K comparisons and a few additions a tree, instead of two passes over its nodes.
struct DecisionPatterns: Sendable {
    /// Trees with at most this many internal nodes are tabled (128 answers at the most).
    static let maximumInternalNodes = 7

    struct Entry: Sendable {
        /// The tree's index in the model (its categorical splits are read from it).
        let tree: Int
        /// The tree's internal nodes (indices into the prepared nodes) in `internals`.
        let internalStart: Int
        let internalCount: Int
        /// The features the tree splits on, in `features`.
        let featureStart: Int
        let featureCount: Int
        /// `2^internalCount` rows of `featureCount` contributions in `tables`.
        let tableStart: Int
    }

    private(set) var entries: [Entry] = []
    private var internals: [Int32] = []
    private var features: [Int32] = []
    private var tables: [Double] = []

    /// Tables `plan` (whose nodes start at `nodeStart` among the prepared nodes) if it is
    /// small enough; false otherwise.
    mutating func add(tree: Int, plan: LinearTreeSHAPPlan, nodeStart: Int, using scratch: LinearTreeSHAP) -> Bool {
        let nodes = plan.nodes
        let internalNodes = nodes.indices.filter { nodes[$0].splitFeature >= 0 }
        guard internalNodes.count <= Self.maximumInternalNodes else { return false }
        let split = Array(Set(internalNodes.map { Int(nodes[$0].splitFeature) })).sorted()
        let entry = Entry(
            tree: tree, internalStart: internals.count, internalCount: internalNodes.count,
            featureStart: features.count, featureCount: split.count, tableStart: tables.count)
        internals += internalNodes.map { Int32(nodeStart + $0) }
        features += split.map(Int32.init)
        var phi = [Double](repeating: 0, count: (split.last ?? 0) + 1)
        nodes.withUnsafeBufferPointer { nodeBuffer in
            plan.tables.withUnsafeBytes { tableBytes in
                guard let nodeBase = nodeBuffer.baseAddress, let tableBase = tableBytes.baseAddress else { return }
                for pattern in 0..<(1 << internalNodes.count) {
                    for feature in split { phi[feature] = 0 }
                    phi.withUnsafeMutableBufferPointer { out in
                        guard let out = out.baseAddress else { return }
                        scratch.accumulate(pattern: pattern, nodes: nodeBase, count: nodes.count, tables: tableBase, lanes: plan.lanes, into: out)
                    }
                    tables += split.map { phi[$0] }
                }
            }
        }
        entries.append(entry)
        return true
    }

    /// Adds every tabled tree's contributions for `row` to `phi`.
    func accumulate(
        row: UnsafePointer<Double>, into phi: UnsafeMutablePointer<Double>,
        nodes: UnsafePointer<LinearTreeSHAPPlan.Node>, trees: UnsafePointer<Tree>
    ) {
        entries.withUnsafeBufferPointer { entries in
        internals.withUnsafeBufferPointer { internals in
        features.withUnsafeBufferPointer { features in
        tables.withUnsafeBufferPointer { tables in
            for entry in entries {
                var pattern = 0
                for bit in 0..<entry.internalCount {
                    let node = nodes[Int(internals[entry.internalStart + bit])]
                    // Arithmetic, not a branch: rows go either way, and mispredictions cost more than the tree.
                    let left = LinearTreeSHAP.goesLeft(node, row[Int(node.splitFeature)], trees + entry.tree)
                    pattern |= (left ? 1 : 0) << bit
                }
                let answer = entry.tableStart + pattern * entry.featureCount
                for k in 0..<entry.featureCount {
                    phi[Int(features[entry.featureStart + k])] += tables[answer + k]
                }
            }
        }}}}
    }
}
