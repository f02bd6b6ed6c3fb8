/// A scikit-learn tree ensemble laid out for prediction: every tree's nodes in one array,
/// preorder (a node's left child is the next node), one comparison a node.
///
/// Rows are scored in blocks: the block's columns are built once (preprocessing, then the
/// float32 cast where the estimator makes it), then each tree is walked for every row of the
/// block while its nodes are in cache. Each row still adds its trees in the model's order,
/// so the sums are scikit-learn's to the last bit.
///
/// `Scalar` is what the estimator compares in: `Float` for the trees that cast their input
/// to float32 (12-byte nodes, half the block), `Double` for HistGradientBoosting. A float32
/// tree's float64 threshold t becomes the largest float at or below it, which sends every
/// float x the same way (`x <= t` ⟺ `x <= floor₃₂(t)` for a float x).
struct SklearnForest<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    struct Node: Sendable {
        /// Threshold, or (categorical) the index of the split in `bitsets`.
        var value: Scalar
        /// The right child (the left one is the next node); at a leaf, its index in `leafValues`.
        var right: Int32
        /// Column in the low 24 bits, then the flags.
        var info: UInt32

        static var columnMask: UInt32 { (1 << 24) - 1 }
        /// NaN goes left (else right: `x <= t` is false for NaN).
        static var nanLeft: UInt32 { 1 << 28 }
        /// HistGradientBoosting's bitsets (`value` indexes `bitsets`; exact in either scalar).
        static var categorical: UInt32 { 1 << 29 }
        static var leaf: UInt32 { 1 << 30 }
        /// The left (next) child is a leaf; the right child is a leaf.
        static var leftIsLeaf: UInt32 { 1 << 26 }
        static var rightIsLeaf: UInt32 { 1 << 27 }

        @inline(__always) var column: Int { Int(info & Self.columnMask) }
        @inline(__always) var isLeaf: Bool { info & Self.leaf != 0 }
    }

    /// A categorical split's bitsets: categories going left, and its feature's known categories.
    struct Bitsets: Sendable {
        let left: [UInt32]
        let known: [UInt32]?
    }

    let nodes: [Node]
    let leafValues: [Double]
    let roots: [Int]
    /// Per tree, whether it has categorical splits (those trees are walked row by row).
    let categoricalTrees: [Bool]
    let bitsets: [Bitsets]
    /// The columns the estimator reads (a row's stride in the blocks `accumulate` reads).
    let columnCount: Int
    init(trees: [SklearnTree], columnCount: Int) {
        var nodes: [Node] = []
        var leafValues: [Double] = []
        var roots: [Int] = []
        var categoricalTrees: [Bool] = []
        var bitsets: [Bitsets] = []
        for tree in trees {
            roots.append(nodes.count)
            categoricalTrees.append(tree.leftCategories.contains { $0 != nil })
            var stack = [(node: 0, parent: -1)]
            while let (node, parent) = stack.popLast() {
                let index = nodes.count
                if parent >= 0 { nodes[parent].right = Int32(index) }
                if tree.isLeaf(node) {
                    nodes.append(Node(value: 0, right: Int32(leafValues.count), info: Node.leaf))
                    leafValues.append(tree.value[node])
                    continue
                }
                var info = UInt32(tree.feature[node])
                if tree.rule != .float32NaNRight && tree.missingLeft[node] { info |= Node.nanLeft }
                if let left = tree.leftCategories[node] {
                    nodes.append(Node(value: Scalar(bitsets.count), right: -1, info: info | Node.categorical))
                    bitsets.append(Bitsets(left: left, known: tree.knownCategories[node]))
                } else {
                    nodes.append(Node(value: Self.threshold(tree.threshold[node]), right: -1, info: info))
                }
                // Right is pushed first so the left subtree is laid out next; the right child's
                // index is patched into this node when it is placed.
                stack.append((tree.right[node], index))
                stack.append((tree.left[node], -1))
            }
        }
        for index in nodes.indices where !nodes[index].isLeaf {
            if nodes[index + 1].isLeaf { nodes[index].info |= Node.leftIsLeaf }
            if nodes[Int(nodes[index].right)].isLeaf { nodes[index].info |= Node.rightIsLeaf }
        }
        self.nodes = nodes
        self.leafValues = leafValues
        self.roots = roots
        self.categoricalTrees = categoricalTrees
        self.bitsets = bitsets
        self.columnCount = columnCount
    }

    /// The largest `Scalar` at or below `t` (`t` itself for `Double`).
    static func threshold(_ t: Double) -> Scalar {
        var rounded = Scalar(t)
        if Double(rounded) > t { rounded = rounded.nextDown }
        return rounded
    }

    /// Rows that walk a tree together (a block of them is what `SklearnModel` scores at a time).
    static var lockstepRows: Int { 256 }

    /// Adds `scale × leaf` of every tree, in order, to `sums[r]` for the `rowCount` rows
    /// (at most `lockstepRows`) of `columns` (row-major, `columnCount` values a row, already
    /// cast as the estimator casts).
    ///
    /// Numeric trees are walked by all the block's rows at once, one level a step: a step
    /// moves every row still inside the tree down one node, with no branch on the data (the
    /// direction is a select), and keeps the rows that have not reached a leaf (each node says
    /// which of its children are leaves). The rows' node loads overlap instead of waiting on
    /// mispredicted branches one row at a time.
    func accumulate(columns: UnsafePointer<Scalar>, rowCount: Int, scale: Double, into sums: UnsafeMutablePointer<Double>) {
        let stride = columnCount
        var scratch = [Int](repeating: 0, count: 2 * Self.lockstepRows)
        nodes.withUnsafeBufferPointer { buffer in
        leafValues.withUnsafeBufferPointer { leafBuffer in
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                guard let base = buffer.baseAddress, let leaves = leafBuffer.baseAddress, let at = scratchBuffer.baseAddress else { return }
                let active = at + Self.lockstepRows
                for (tree, root) in roots.enumerated() {
                    if categoricalTrees[tree] || base[root].isLeaf {
                        for r in 0..<rowCount { sums[r] += scale * leaves[walk(from: root, row: columns + r * stride, nodes: base)] }
                        continue
                    }
                    for r in 0..<rowCount {
                        at[r] = root
                        active[r] = r
                    }
                    var count = rowCount
                    while count > 0 {
                        var kept = 0
                        for k in 0..<count {
                            let r = active[k]
                            let index = at[r]
                            let node = base[index]
                            let x = columns[r &* stride &+ node.column]
                            // Bools as 0/1 and a mask instead of `?:`: the compiler turned the
                            // select into a branch, mispredicted on half the nodes (perf annotate).
                            let lessOrEqual = unsafeBitCast(x <= node.value, to: UInt8.self)
                            let missing = unsafeBitCast(x.isNaN, to: UInt8.self)
                            let nanLeft = UInt8(truncatingIfNeeded: node.info >> 28) & 1
                            let left = Int(lessOrEqual | (missing & nanLeft))
                            let right = Int(node.right)
                            at[r] = right ^ (((index &+ 1) ^ right) & (0 &- left))
                            active[kept] = r
                            // Bit 26 flags a leaf on the left, bit 27 on the right.
                            kept &+= 1 &- Int((node.info >> UInt32(27 &- left)) & 1)
                        }
                        count = kept
                    }
                    for r in 0..<rowCount { sums[r] += scale * leaves[Int(base[at[r]].right)] }
                }
            }
        }
        }
    }

    /// One row through one tree, with the categorical rule: the leaf's index in `leafValues`.
    private func walk(from root: Int, row: UnsafePointer<Scalar>, nodes base: UnsafePointer<Node>) -> Int {
        var index = root
        while true {
            let node = base[index]
            if node.isLeaf { return Int(node.right) }
            let x = row[node.column]
            let nanLeft = node.info & Node.nanLeft != 0
            let left: Bool
            if x.isNaN {
                left = nanLeft
            } else if node.info & Node.categorical != 0 {
                let sets = bitsets[Int(node.value)]
                left = SklearnTree.categoryGoesLeft(Double(x), left: sets.left, known: sets.known, missingLeft: nanLeft)
            } else {
                left = x <= node.value
            }
            index = left ? index + 1 : Int(node.right)
        }
    }
}

/// A forest in the scalar its estimator compares in.
enum SklearnForestLayout: Sendable {
    /// DecisionTree, RandomForest, ExtraTrees, GradientBoosting: inputs cast to float32.
    case float32(SklearnForest<Float>)
    /// HistGradientBoosting: float64.
    case float64(SklearnForest<Double>)

    init(trees: [SklearnTree], columnCount: Int) {
        if trees.first?.rule == .float64 {
            self = .float64(SklearnForest(trees: trees, columnCount: columnCount))
        } else {
            self = .float32(SklearnForest(trees: trees, columnCount: columnCount))
        }
    }
}
