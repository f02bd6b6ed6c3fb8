extension TreeEnsemble {
    /// Rows per block. A block's features are transposed to feature-major order so that a
    /// node reads one contiguous column; 1,024 rows amortise the per-node overhead while a
    /// column (8 KiB) stays in L1.
    static let blockSize = 1024

    /// Sums the trees for `rowCount` consecutive rows starting at `rows` (row-major, `stride`
    /// values a row) into `output`, each row from `start`, in `Sum`'s precision: LightGBM adds
    /// its leaves in double from 0, XGBoost in float from its base margin.
    ///
    /// Rather than walking each row down each tree (a chain of dependent, unpredictable
    /// branches), each tree is evaluated node by node over a block of rows: the rows at a node
    /// are partitioned, without branches, into those going left and right, and each leaf adds
    /// its value to the rows that reach it. Every row still adds the trees in LightGBM's order,
    /// so sums are bit-identical.
    func sumTrees<Sum: BinaryFloatingPoint>(
        rows: UnsafePointer<Double>, stride: Int, rowCount: Int, start: Sum = 0, output: UnsafeMutablePointer<Sum>
    ) {
        if rowCount <= Self.walkRows, !hasLinearLeaves {
            nodes.withUnsafeBufferPointer { nodeBuffer in
                categoryWords.withUnsafeBufferPointer { wordBuffer in
                    guard let nodes = nodeBuffer.baseAddress, let words = wordBuffer.baseAddress else { return }
                    for r in 0..<rowCount { output[r] = walk(row: rows + r * stride, start: start, nodes: nodes, words: words) }
                }
            }
            return
        }
        let block = min(Self.blockSize, max(rowCount, 1))
        var scratch = BlockScratch(featureCount: stride, blockSize: block, maxNodes: maxTreeNodes)
        nodes.withUnsafeBufferPointer { nodeBuffer in
            categoryWords.withUnsafeBufferPointer { wordBuffer in
                // Both arrays are never empty (`init` adds a sentinel word), so both have addresses.
                guard let nodes = nodeBuffer.baseAddress, let words = wordBuffer.baseAddress else { return }
                var first = 0
                while first < rowCount {
                    let count = min(block, rowCount - first)
                    scratch.load(rows: rows + first * stride, stride: stride, count: count, categorical: categoricalFeatures, codes: categoryCodes)
                    let out = output + first
                    for r in 0..<count { out[r] = start }
                    for (tree, root) in roots.enumerated() {
                        evaluate(tree: tree, root: root, count: count, nodes: nodes, words: words, scratch: &scratch, output: out)
                    }
                    first += count
                }
            }
        }
    }

    /// Runs one tree over the block's rows, adding each row's leaf output to `output`.
    @inline(__always)
    private func evaluate<Sum: BinaryFloatingPoint>(
        tree: Int, root: Int, count: Int, nodes: UnsafePointer<FlatNode>, words: UnsafePointer<UInt32>,
        scratch: inout BlockScratch, output: UnsafeMutablePointer<Sum>
    ) {
        let columns = scratch.columns
        let codes = scratch.codes
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
                        output[r] += Sum(Self.linearOutput(leaf, fallback: node.value, columns: columns, blockSize: blockSize, row: r))
                    }
                } else {
                    let value = Sum(node.value)
                    for i in 0..<n { output[Int(rowsHere[i])] += value }
                }
                continue
            }
            let offset = Int(node.info & FlatNode.featureMask) * blockSize
            let left: Int
            if kind >= FlatNode.Kind.categorical.rawValue {
                left = Self.partitionCategorical(
                    rowsHere, n, spill, UnsafePointer(codes + offset), node.value, words,
                    nanLeft: kind == FlatNode.Kind.categoricalNaNLeft.rawValue)
            } else {
                left = Self.partitionNumeric(rowsHere, n, spill, UnsafePointer(columns + offset), node.value, kind)
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
    /// rows going right are copied after them. Returns how many go left. `goesLeft` must be
    /// free of branches (bitwise `&`/`|` on `bit(_:)` values, never `&&`/`||`): the direction is
    /// data-dependent, so a branch would be mispredicted half of the time.
    @inline(__always)
    private static func partition(
        _ rows: UnsafeMutablePointer<Int32>, _ n: Int, _ spill: UnsafeMutablePointer<Int32>,
        _ goesLeft: (Int) -> Int
    ) -> Int {
        var left = 0
        var right = 0
        for i in 0..<n {
            let r = rows[i]
            let g = goesLeft(Int(r))
            rows[left] = r
            spill[right] = r
            left &+= g
            right &+= 1 &- g
        }
        (rows + left).update(from: spill, count: right)
        return left
    }

    /// A numeric split of kind 0–3 (see `FlatNode.Kind`).
    @inline(__always)
    private static func partitionNumeric(
        _ rows: UnsafeMutablePointer<Int32>, _ n: Int, _ spill: UnsafeMutablePointer<Int32>,
        _ column: UnsafePointer<Double>, _ t: Double, _ kind: UInt32
    ) -> Int {
        switch kind {
        case FlatNode.Kind.lessOrEqual.rawValue:
            return partition(rows, n, spill) { r in bit(column[r] <= t) }
        case FlatNode.Kind.lessOrEqualNaNLeft.rawValue:
            return partition(rows, n, spill) { r in 1 &- bit(column[r] > t) }
        case FlatNode.Kind.lessOrEqualZeroRight.rawValue:
            return partition(rows, n, spill) { r in bit(column[r] <= t) & (1 &- bit(column[r] == 0)) }
        default:
            return partition(rows, n, spill) { r in (1 &- bit(column[r] > t)) | bit(column[r] == 0) }
        }
    }

    /// A categorical split, on the block's precomputed category codes (`CategoryCodes`: −1
    /// for invalid values, which go right, −2 for NaN, which goes left only when `nanLeft`).
    @inline(__always)
    private static func partitionCategorical(
        _ rows: UnsafeMutablePointer<Int32>, _ n: Int, _ spill: UnsafeMutablePointer<Int32>,
        _ codes: UnsafePointer<Int32>, _ packed: Double, _ words: UnsafePointer<UInt32>, nanLeft: Bool
    ) -> Int {
        let bits = packed.bitPattern
        let firstWord = words + Int(bits >> 32)
        let wordCount = UInt32(truncatingIfNeeded: bits)
        if nanLeft {
            return partition(rows, n, spill) { r in
                let code = UInt32(bitPattern: codes[r])
                let word = code >> 5
                let valid = bit(word < wordCount)
                let loaded = firstWord[Int(word) & (0 &- valid)]
                return (valid & Int((loaded >> (code & 31)) & 1)) | bit(codes[r] == CategoryCodes.missing)
            }
        }
        return partition(rows, n, spill) { r in
            // A code of −1 becomes a huge unsigned word index, which fails `< wordCount`.
            let code = UInt32(bitPattern: codes[r])
            let word = code >> 5
            let valid = bit(word < wordCount)
            let loaded = firstWord[Int(word) & (0 &- valid)]  // word 0 when invalid: always in bounds
            return valid & Int((loaded >> (code & 31)) & 1)
        }
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
    /// Category codes of the categorical features, same layout as `columns`.
    let codes: UnsafeMutablePointer<Int32>
    let members: UnsafeMutablePointer<Int32>
    let spill: UnsafeMutablePointer<Int32>
    let stack: UnsafeMutablePointer<PendingNode>

    init(featureCount: Int, blockSize: Int, maxNodes: Int) {
        self.blockSize = blockSize
        self.featureCount = featureCount
        columns = .allocate(capacity: featureCount * blockSize)
        codes = .allocate(capacity: featureCount * blockSize)
        members = .allocate(capacity: blockSize)
        spill = .allocate(capacity: blockSize)
        // Depth-first with the left child pushed last: at most one pending sibling per level.
        stack = .allocate(capacity: maxNodes + 1)
    }

    /// Copies `count` rows into the feature-major block, and converts the categorical
    /// features' values to codes once, as the library's categorical decision reads them
    /// (`CategoryCodes`). LightGBM: NaN and negative values go right; others are truncated
    /// toward zero as C's `static_cast<int>` does (so −0.5 is category 0); values ≥ 2³¹
    /// overflow `int` in LightGBM (to a negative value on x86-64) and so go right too.
    func load(rows: UnsafePointer<Double>, stride: Int, count: Int, categorical: [Int], codes rule: CategoryCodes) {
        for r in 0..<count {
            let row = rows + r * stride
            for f in 0..<featureCount { columns[f * blockSize + r] = row[f] }
        }
        for f in categorical {
            let column = columns + f * blockSize
            let target = codes + f * blockSize
            for r in 0..<count { target[r] = rule.code(column[r]) }
        }
    }

    deinit {
        columns.deallocate()
        codes.deallocate()
        members.deallocate()
        spill.deallocate()
        stack.deallocate()
    }
}

/// 1 for true, 0 for false, without a branch.
@inline(__always)
func bit(_ condition: Bool) -> Int {
    Int(unsafeBitCast(condition, to: UInt8.self))
}
