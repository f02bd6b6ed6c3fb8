extension TreeEnsemble {
    /// Up to this many rows are walked one by one rather than partitioned as a block: a
    /// block's set-up (transposing the rows, codes, a scratch of five buffers) costs more
    /// than the walk itself for the API's single applicant. Measured in bench/README.md.
    static let walkRows = 4

    /// The sum of the trees for one row (`row[f]` is feature f), each row walked from the
    /// root to its leaf, adding the leaves in tree order from 0 as `sumTrees` does, so the
    /// sum is bit-identical to the block evaluator's. Constant-leaf trees only: callers with
    /// linear leaves take the block path.
    func walk<Sum: BinaryFloatingPoint>(row: UnsafePointer<Double>, start: Sum, nodes: UnsafePointer<FlatNode>, words: UnsafePointer<UInt32>) -> Sum {
        var sum = start
        let codes = categoryCodes
        for root in roots {
            var index = root
            while true {
                let node = nodes[index]
                let kind = node.kind
                if kind == FlatNode.Kind.leaf.rawValue {
                    sum += Sum(node.value)
                    break
                }
                index = Self.goesLeft(node, kind, row[node.feature], words, codes) ? index + 1 : Int(node.right)
            }
        }
        return sum
    }

    /// The block evaluator's decision at one node (see `partitionNumeric`, `partitionCategorical`
    /// and `BlockScratch.load` for the category code), for one value.
    @inline(__always)
    private static func goesLeft(_ node: FlatNode, _ kind: UInt32, _ x: Double, _ words: UnsafePointer<UInt32>, _ codes: CategoryCodes) -> Bool {
        let t = node.value
        switch kind {
        case FlatNode.Kind.lessOrEqual.rawValue: return x <= t
        case FlatNode.Kind.lessOrEqualNaNLeft.rawValue: return !(x > t)
        case FlatNode.Kind.lessOrEqualZeroRight.rawValue: return x <= t && x != 0
        case FlatNode.Kind.lessOrEqualZeroLeft.rawValue: return !(x > t) || x == 0
        default:
            let signed = codes.code(x)
            if signed == CategoryCodes.missing { return kind == FlatNode.Kind.categoricalNaNLeft.rawValue }
            guard signed >= 0 else { return false }
            let code = UInt32(signed)
            let bits = t.bitPattern
            let word = code >> 5
            guard word < UInt32(truncatingIfNeeded: bits) else { return false }
            return (words[Int(bits >> 32) + Int(word)] >> (code & 31)) & 1 == 1
        }
    }
}
