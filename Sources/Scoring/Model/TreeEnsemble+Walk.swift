extension TreeEnsemble {
    /// Up to this many rows are walked one by one rather than partitioned as a block: a
    /// block's set-up (transposing the rows, codes, a scratch of five buffers) costs more
    /// than the walk itself for the API's single applicant. Measured in bench/README.md.
    static let walkRows = 4

    /// The sum of the trees for one row (`row[f]` is feature f), each row walked from the
    /// root to its leaf, adding the leaves in tree order from 0 as `sumTrees` does, so the
    /// sum is bit-identical to the block evaluator's. Constant-leaf trees only: callers with
    /// linear leaves take the block path.
    func walk(row: UnsafePointer<Double>, nodes: UnsafePointer<FlatNode>, words: UnsafePointer<UInt32>) -> Double {
        var sum = 0.0
        for root in roots {
            var index = root
            while true {
                let node = nodes[index]
                let kind = node.kind
                if kind == FlatNode.Kind.leaf.rawValue {
                    sum += node.value
                    break
                }
                index = Self.goesLeft(node, kind, row[node.feature], words) ? index + 1 : Int(node.right)
            }
        }
        return sum
    }

    /// The block evaluator's decision at one node (see `partitionNumeric`, `partitionCategorical`
    /// and `BlockScratch.load` for the category code), for one value.
    @inline(__always)
    private static func goesLeft(_ node: FlatNode, _ kind: UInt32, _ x: Double, _ words: UnsafePointer<UInt32>) -> Bool {
        let t = node.value
        switch kind {
        case FlatNode.Kind.lessOrEqual.rawValue: return x <= t
        case FlatNode.Kind.lessOrEqualNaNLeft.rawValue: return !(x > t)
        case FlatNode.Kind.lessOrEqualZeroRight.rawValue: return x <= t && x != 0
        case FlatNode.Kind.lessOrEqualZeroLeft.rawValue: return !(x > t) || x == 0
        default:
            guard x > -1, x < 2_147_483_648 else { return false }
            let code = UInt32(Int32(x))
            let bits = t.bitPattern
            let word = code >> 5
            guard word < UInt32(truncatingIfNeeded: bits) else { return false }
            return (words[Int(bits >> 32) + Int(word)] >> (code & 31)) & 1 == 1
        }
    }
}
