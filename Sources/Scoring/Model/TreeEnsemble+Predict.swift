extension TreeEnsemble {
    /// Rows per block. A block's features are transposed to feature-major order so that a
    /// node reads one contiguous column; 1,024 rows amortise the per-node overhead while a
    /// column (8 KiB) stays in L1.
    static let blockSize = 1024

    /// Sums the trees for `rowCount` consecutive rows starting at `rows` (row-major, `stride`
    /// values a row) into `output`.
    ///
    /// Rather than walking each row down each tree (a chain of dependent, unpredictable
    /// branches), each tree is evaluated node by node over a block of rows: the rows at a node
    /// are partitioned, without branches, into those going left and right, and each leaf adds
    /// its value to the rows that reach it. Every row still adds the trees in LightGBM's order,
    /// so sums are bit-identical.
    func sumTrees(rows: UnsafePointer<Double>, stride: Int, rowCount: Int, output: UnsafeMutablePointer<Double>) {
        let block = min(Self.blockSize, max(rowCount, 1))
        var scratch = BlockScratch(featureCount: stride, blockSize: block, maxNodes: maxTreeNodes)
        nodes.withUnsafeBufferPointer { nodeBuffer in
            categoryWords.withUnsafeBufferPointer { wordBuffer in
                // Both arrays are never empty (`init` adds a sentinel word), so both have addresses.
                guard let nodes = nodeBuffer.baseAddress, let words = wordBuffer.baseAddress else { return }
                var start = 0
                while start < rowCount {
                    let count = min(block, rowCount - start)
                    scratch.load(rows: rows + start * stride, stride: stride, count: count)
                    let out = output + start
                    for r in 0..<count { out[r] = 0 }
                    for (tree, root) in roots.enumerated() {
                        evaluate(tree: tree, root: root, count: count, nodes: nodes, words: words, scratch: &scratch, output: out)
                    }
                    start += count
                }
            }
        }
    }

    /// Runs one tree over the block's rows, adding each row's leaf output to `output`.
    @inline(__always)
    private func evaluate(
        tree: Int, root: Int, count: Int, nodes: UnsafePointer<FlatNode>, words: UnsafePointer<UInt32>,
        scratch: inout BlockScratch, output: UnsafeMutablePointer<Double>
    ) {
        let columns = scratch.columns
        let blockSize = scratch.blockSize
        let members = scratch.members
        let spill = scratch.spill
        let stack = scratch.stack
        for r in 0..<count { members[r] = Int32(r) }
        var depth = 0
        stack[0] = PendingNode(node: Int32(root), start: 0, count: Int32(count))
        depth = 1
        while depth > 0 {
            depth -= 1
            let pending = stack[depth]
            let node = nodes[Int(pending.node)]
            let first = Int(pending.start)
            let n = Int(pending.count)
            let rowsHere = members + first
            let kind = node.info >> 28
            if kind == FlatNode.Kind.leaf.rawValue {
                if let linear = linearLeaves[tree] {
                    let leaf = linear[Int(node.right)]
                    for i in 0..<n {
                        let r = Int(rowsHere[i])
                        output[r] += Self.linearOutput(leaf, fallback: node.value, columns: columns, blockSize: blockSize, row: r)
                    }
                } else {
                    for i in 0..<n { output[Int(rowsHere[i])] += node.value }
                }
                continue
            }
            let column = UnsafePointer(columns + Int(node.info & FlatNode.featureMask) * blockSize)
            let left: Int
            switch kind {
            case FlatNode.Kind.categorical.rawValue:
                left = Self.partitionCategorical(rowsHere, n, spill, column, node.value, words)
            default:
                left = Self.partitionNumeric(rowsHere, n, spill, column, node.value, kind)
            }
            let rightIndex = Int(node.right)
            let leftIndex = Int(pending.node) + 1
            if n - left > 0 {
                stack[depth] = PendingNode(node: Int32(rightIndex), start: Int32(first + left), count: Int32(n - left))
                depth += 1
            }
            if left > 0 {
                stack[depth] = PendingNode(node: Int32(leftIndex), start: Int32(first), count: Int32(left))
                depth += 1
            }
        }
    }

    /// Stable branch-free partition: rows going left are compacted at the front of `rows`,
    /// rows going right are copied after them. Returns how many go left.
    @inline(__always)
    private static func partitionNumeric(
        _ rows: UnsafeMutablePointer<Int32>, _ n: Int, _ spill: UnsafeMutablePointer<Int32>,
        _ column: UnsafePointer<Double>, _ threshold: Double, _ kind: UInt32
    ) -> Int {
        // Kinds 0–3 (see FlatNode.Kind): bit 0 sends missing values left, bit 1 makes zero missing.
        let missingLeft = kind & 1 != 0
        let zeroIsMissing = kind & 2 != 0
        var left = 0
        var right = 0
        for i in 0..<n {
            let r = rows[i]
            let x = column[Int(r)]
            let zeroMissing = zeroIsMissing && x == 0
            let missing = x.isNaN || zeroMissing
            let goLeft = (x <= threshold && !zeroMissing) || (missing && missingLeft)
            rows[left] = r
            spill[right] = r
            left &+= goLeft ? 1 : 0
            right &+= goLeft ? 0 : 1
        }
        (rows + left).update(from: spill, count: right)
        return left
    }

    /// As `partitionNumeric`, for a categorical split (LightGBM's rule: NaN and negatives go
    /// right; otherwise the value is truncated to an integer and looked up in the bitset).
    @inline(__always)
    private static func partitionCategorical(
        _ rows: UnsafeMutablePointer<Int32>, _ n: Int, _ spill: UnsafeMutablePointer<Int32>,
        _ column: UnsafePointer<Double>, _ packed: Double, _ words: UnsafePointer<UInt32>
    ) -> Int {
        let bits = packed.bitPattern
        let firstWord = words + Int(bits >> 32)
        let wordCount = Int(bits & 0xFFFF_FFFF)
        var left = 0
        var right = 0
        for i in 0..<n {
            let r = rows[i]
            let x = column[Int(r)]
            // NaN fails both comparisons; −1 < x < 0 truncates to 0 as in C; x ≥ 2³¹ overflows
            // `int` in LightGBM (to a negative value on x86-64), so it goes right too.
            let inRange = x > -1 && x < 2_147_483_648
            let category = Int(inRange ? x : 0)
            let word = category >> 5
            let valid = inRange && word < wordCount
            let bit = (firstWord[valid ? word : 0] >> UInt32(category & 31)) & 1
            let goLeft = valid && bit == 1
            rows[left] = r
            spill[right] = r
            left &+= goLeft ? 1 : 0
            right &+= goLeft ? 0 : 1
        }
        (rows + left).update(from: spill, count: right)
        return left
    }

    /// A linear leaf's output: constant plus coefficients times features, or the plain leaf
    /// value when one of those features is missing (LightGBM's rule).
    @inline(__always)
    private static func linearOutput(
        _ leaf: Tree.LinearLeaf, fallback: Double, columns: UnsafeMutablePointer<Double>, blockSize: Int, row: Int
    ) -> Double {
        var output = leaf.constant
        for (feature, coefficient) in zip(leaf.features, leaf.coefficients) {
            let x = columns[feature * blockSize + row]
            if x.isNaN { return fallback }
            output += coefficient * x
        }
        return output
    }
}

/// A node waiting to be evaluated for the rows `members[start..<start+count]`.
struct PendingNode {
    var node: Int32
    var start: Int32
    var count: Int32
}

/// One worker's buffers for `TreeEnsemble.sumTrees`, allocated once per call.
struct BlockScratch: ~Copyable {
    let blockSize: Int
    let featureCount: Int
    /// Feature-major copy of the block: feature f of row r at `f * blockSize + r`.
    let columns: UnsafeMutablePointer<Double>
    let members: UnsafeMutablePointer<Int32>
    let spill: UnsafeMutablePointer<Int32>
    let stack: UnsafeMutablePointer<PendingNode>

    init(featureCount: Int, blockSize: Int, maxNodes: Int) {
        self.blockSize = blockSize
        self.featureCount = featureCount
        columns = .allocate(capacity: featureCount * blockSize)
        members = .allocate(capacity: blockSize)
        spill = .allocate(capacity: blockSize)
        // Depth-first with the left child pushed last: at most one pending sibling per level.
        stack = .allocate(capacity: maxNodes + 1)
    }

    /// Copies `count` rows into the feature-major block.
    func load(rows: UnsafePointer<Double>, stride: Int, count: Int) {
        for r in 0..<count {
            let row = rows + r * stride
            for f in 0..<featureCount { columns[f * blockSize + r] = row[f] }
        }
    }

    deinit {
        columns.deallocate()
        members.deallocate()
        spill.deallocate()
        stack.deallocate()
    }
}
