/// A scikit-learn tree ensemble laid out for prediction: every tree's nodes in one array,
/// preorder (a node's left child is the next node), 16 bytes a node, one comparison a node.
///
/// Rows are scored in blocks: the block's columns are built once (preprocessing, then the
/// float32 cast where the estimator makes it), then each tree is walked for every row of the
/// block while its nodes are in cache. Each row still adds its trees in the model's order,
/// so the sums are scikit-learn's to the last bit.
struct SklearnForest: Sendable {
    struct Node: Sendable {
        /// Threshold, leaf value, or (categorical) the index of the split in `bitsets`.
        var value: Double
        var right: Int32
        /// Column in the low 24 bits, kind in the high 4.
        var info: UInt32

        static let columnMask: UInt32 = (1 << 24) - 1
        /// left iff x ≤ t (NaN goes right).
        static let lessOrEqual: UInt32 = 0
        /// left iff !(x > t) (NaN goes left).
        static let lessOrEqualNaNLeft: UInt32 = 1
        /// HistGradientBoosting's bitsets; NaN right.
        static let categorical: UInt32 = 2
        /// The same, NaN left.
        static let categoricalNaNLeft: UInt32 = 3
        static let leaf: UInt32 = 4

        @inline(__always) var kind: UInt32 { info >> 28 }
        @inline(__always) var column: Int { Int(info & Self.columnMask) }
    }

    /// A categorical split's bitsets: categories going left, and its feature's known categories.
    struct Bitsets: Sendable {
        let left: [UInt32]
        let known: [UInt32]?
    }

    let nodes: [Node]
    let roots: [Int]
    let bitsets: [Bitsets]
    /// Whether inputs are cast to float32 before comparing (all but HistGradientBoosting).
    let castsToFloat32: Bool

    init(trees: [SklearnTree]) {
        var nodes: [Node] = []
        var roots: [Int] = []
        var bitsets: [Bitsets] = []
        for tree in trees {
            roots.append(nodes.count)
            var stack = [(node: 0, parent: -1)]
            while let (node, parent) = stack.popLast() {
                let index = nodes.count
                if parent >= 0 { nodes[parent].right = Int32(index) }
                if tree.isLeaf(node) {
                    nodes.append(Node(value: tree.value[node], right: -1, info: Node.leaf << 28))
                    continue
                }
                let column = UInt32(tree.feature[node])
                let nanLeft = tree.rule != .float32NaNRight && tree.missingLeft[node]
                if let left = tree.leftCategories[node] {
                    let kind = nanLeft ? Node.categoricalNaNLeft : Node.categorical
                    nodes.append(Node(value: Double(bitsets.count), right: -1, info: kind << 28 | column))
                    bitsets.append(Bitsets(left: left, known: tree.knownCategories[node]))
                } else {
                    let kind = nanLeft ? Node.lessOrEqualNaNLeft : Node.lessOrEqual
                    nodes.append(Node(value: tree.threshold[node], right: -1, info: kind << 28 | column))
                }
                // Right is pushed first so the left subtree is laid out next; the right child's
                // index is patched into this node when it is placed.
                stack.append((tree.right[node], index))
                stack.append((tree.left[node], -1))
            }
        }
        self.nodes = nodes
        self.roots = roots
        self.bitsets = bitsets
        castsToFloat32 = trees.first.map { $0.rule != .float64 } ?? true
    }

    /// Adds `scale × leaf` of every tree, in order, to `sums[r]` for the `rowCount` rows of
    /// `columns` (row-major, `stride` values a row, already cast as the estimator casts).
    func accumulate(columns: UnsafePointer<Double>, stride: Int, rowCount: Int, scale: Double, into sums: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for root in roots {
                for r in 0..<rowCount {
                    let row = columns + r * stride
                    var index = root
                    while true {
                        let node = base[index]
                        let kind = node.kind
                        if kind == Node.leaf {
                            sums[r] += scale * node.value
                            break
                        }
                        let x = row[node.column]
                        let left: Bool
                        switch kind {
                        case Node.lessOrEqual: left = x <= node.value
                        case Node.lessOrEqualNaNLeft: left = !(x > node.value)
                        default: left = categoryGoesLeft(x, node: node)
                        }
                        index = left ? index + 1 : Int(node.right)
                    }
                }
            }
        }
    }

    private func categoryGoesLeft(_ x: Double, node: Node) -> Bool {
        let nanLeft = node.kind == Node.categoricalNaNLeft
        if x.isNaN { return nanLeft }
        let sets = bitsets[Int(node.value)]
        return SklearnTree.categoryGoesLeft(x, left: sets.left, known: sets.known, missingLeft: nanLeft)
    }
}
