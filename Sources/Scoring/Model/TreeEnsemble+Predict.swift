import Foundation

extension TreeEnsemble {
    /// Index in `nodes` of the leaf that `row` reaches from the tree rooted at `root`.
    @inline(__always)
    static func leafNode(
        root: Int, row: UnsafePointer<Double>, nodes: UnsafePointer<FlatNode>, words: UnsafePointer<UInt32>
    ) -> Int {
        var i = root
        while true {
            let node = nodes[i]
            let kind = node.info >> 28
            if kind == FlatNode.Kind.leaf.rawValue { return i }
            let x = row[Int(node.info & FlatNode.featureMask)]
            let goLeft: Bool
            switch kind {
            case 0: goLeft = x <= node.value
            case 1: goLeft = !(x > node.value)
            case 2: goLeft = x <= node.value && x != 0
            case 3: goLeft = !(x > node.value) || x == 0
            default: goLeft = categoryContains(x, node.value, words)
            }
            i = goLeft ? i + 1 : Int(node.right)
        }
    }

    /// LightGBM's categorical decision: NaN and negative values go right; otherwise the
    /// value is truncated to an integer (as C's `static_cast<int>`) and looked up in the bitset.
    @inline(__always)
    static func categoryContains(_ x: Double, _ packed: Double, _ words: UnsafePointer<UInt32>) -> Bool {
        // NaN fails both comparisons; −1 < x < 0 truncates to 0 as in C; values ≥ 2³¹ overflow
        // `int` in LightGBM (to INT_MIN on x86-64, a negative value), so they go right too.
        guard x > -1, x < 2_147_483_648 else { return false }
        let category = Int(x)
        let bits = packed.bitPattern
        let wordCount = Int(bits & 0xFFFF_FFFF)
        let word = category >> 5
        guard word < wordCount else { return false }
        return (words[Int(bits >> 32) + word] >> UInt32(category & 31)) & 1 == 1
    }

    /// The output of a linear leaf: constant plus coefficients times features, or the
    /// plain leaf value when one of those features is missing (LightGBM's rule).
    @inline(__always)
    func linearOutput(tree: Int, leafNode: FlatNode, row: UnsafePointer<Double>) -> Double {
        guard let leaves = linearLeaves[tree] else { return leafNode.value }
        let leaf = leaves[Int(leafNode.right)]
        var output = leaf.constant
        for (feature, coefficient) in zip(leaf.features, leaf.coefficients) {
            let x = row[feature]
            if x.isNaN { return leafNode.value }
            output += coefficient * x
        }
        return output
    }

    /// Sums the trees for `rowCount` consecutive rows starting at `rows` (row-major, `stride`
    /// values a row) into `output`. Rows are taken in small blocks and each tree is run over
    /// the whole block, so the tree stays in cache; each row still adds its trees in order.
    func sumTrees(rows: UnsafePointer<Double>, stride: Int, rowCount: Int, output: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { nodeBuffer in
            categoryWords.withUnsafeBufferPointer { wordBuffer in
                // Both arrays are never empty (`init` adds a sentinel word), so both have addresses.
                guard let nodes = nodeBuffer.baseAddress, let words = wordBuffer.baseAddress else { return }
                let blockSize = 32
                var start = 0
                while start < rowCount {
                    let count = min(blockSize, rowCount - start)
                    let out = output + start
                    for r in 0..<count { out[r] = 0 }
                    for (t, root) in roots.enumerated() {
                        for r in 0..<count {
                            let row = rows + (start + r) * stride
                            let leaf = Self.leafNode(root: root, row: row, nodes: nodes, words: words)
                            out[r] += hasLinearLeaves ? linearOutput(tree: t, leafNode: nodes[leaf], row: row) : nodes[leaf].value
                        }
                    }
                    start += count
                }
            }
        }
    }
}
