/// Evaluates `LinearTreeSHAPPlan`s for rows: two flat passes over a tree's nodes per row,
/// on vectors of quadrature values (one SIMD vector per node), with scratch owned by one worker.
final class LinearTreeSHAP {
    private static let alignment = 64
    /// Per node: the product of edge factors along its path, at each quadrature node.
    private let pathProduct: UnsafeMutableRawPointer
    /// Per node: Σ leaf value · path product over the leaves under it.
    private let subtreeSum: UnsafeMutableRawPointer
    /// Per node: 0 the row left this feature's path above, 1 stays on it, 2 leaves it here.
    private let edgeCase: UnsafeMutablePointer<UInt8>
    /// Per node: whether the row is still on every split of the edge's feature so far.
    private let onPath: UnsafeMutablePointer<Bool>

    /// Scratch for trees of up to `nodes` nodes and `lanes` quadrature values.
    init(nodes: Int, lanes: Int) {
        let bytes = max(1, nodes * lanes) * MemoryLayout<Double>.stride
        pathProduct = .allocate(byteCount: bytes, alignment: Self.alignment)
        subtreeSum = .allocate(byteCount: bytes, alignment: Self.alignment)
        edgeCase = .allocate(capacity: max(1, nodes))
        onPath = .allocate(capacity: max(1, nodes))
    }

    deinit {
        pathProduct.deallocate()
        subtreeSum.deallocate()
        edgeCase.deallocate()
        onPath.deallocate()
    }

    /// Adds the contributions of a group of trees for `row` to `phi` (one slot per feature).
    /// `nodes` and `tables` are the prepared model's arrays, `slots` the group's trees, all of
    /// `lanes` quadrature values. Trees are passed by pointer: only categorical splits read
    /// them, and a copy would retain a tree's arrays on every call.
    func accumulate(
        _ slots: UnsafeBufferPointer<ContributionPlans.Prepared.Slot>, lanes: Int,
        nodes: UnsafePointer<LinearTreeSHAPPlan.Node>, tables: UnsafeRawPointer,
        trees: UnsafePointer<Tree>, row: UnsafePointer<Double>, into phi: UnsafeMutablePointer<Double>
    ) {
        switch lanes {
        case 2: run(SIMD2<Double>.self, slots, nodes, tables, trees, row, phi)
        case 4: run(SIMD4<Double>.self, slots, nodes, tables, trees, row, phi)
        case 6: run(Lanes6.self, slots, nodes, tables, trees, row, phi)
        case 8: run(SIMD8<Double>.self, slots, nodes, tables, trees, row, phi)
        case 16: run(SIMD16<Double>.self, slots, nodes, tables, trees, row, phi)
        default: run(SIMD32<Double>.self, slots, nodes, tables, trees, row, phi)
        }
    }

    private func run<V: QuadratureVector>(
        _ vector: V.Type, _ slots: UnsafeBufferPointer<ContributionPlans.Prepared.Slot>,
        _ nodes: UnsafePointer<LinearTreeSHAPPlan.Node>, _ tables: UnsafeRawPointer,
        _ trees: UnsafePointer<Tree>, _ row: UnsafePointer<Double>, _ phi: UnsafeMutablePointer<Double>
    ) {
        for slot in slots {
            run(vector, nodes + slot.nodeStart, slot.nodeCount, tables + slot.tableStart * MemoryLayout<Double>.stride,
                trees + slot.tree, row, phi)
        }
    }

    /// Adds one tree's contributions for a row that goes left at exactly the internal nodes
    /// whose bits are set in `pattern` (bit i: the tree's i-th internal node in preorder):
    /// how `DecisionPatterns` tables a small tree once for every row it will meet.
    func accumulate(
        pattern: Int, nodes: UnsafePointer<LinearTreeSHAPPlan.Node>, count: Int, tables: UnsafeRawPointer, lanes: Int,
        into phi: UnsafeMutablePointer<Double>
    ) {
        var bitOfNode = [Int](repeating: -1, count: count)
        var next = 0
        for index in 0..<count where nodes[index].splitFeature >= 0 {
            bitOfNode[index] = next
            next += 1
        }
        let decide = { (index: Int, _: LinearTreeSHAPPlan.Node) in pattern >> bitOfNode[index] & 1 == 1 }
        switch lanes {
        case 2: run(SIMD2<Double>.self, nodes, count, tables, phi, decide: decide)
        case 4: run(SIMD4<Double>.self, nodes, count, tables, phi, decide: decide)
        case 6: run(Lanes6.self, nodes, count, tables, phi, decide: decide)
        case 8: run(SIMD8<Double>.self, nodes, count, tables, phi, decide: decide)
        case 16: run(SIMD16<Double>.self, nodes, count, tables, phi, decide: decide)
        default: run(SIMD32<Double>.self, nodes, count, tables, phi, decide: decide)
        }
    }

    /// LightGBM's rule for an internal node (see `Tree.goesLeft`), numeric splits inline.
    @inline(__always)
    static func goesLeft(_ node: LinearTreeSHAPPlan.Node, _ x: Double, _ tree: UnsafePointer<Tree>) -> Bool {
        switch node.rule {
        case .missingNaN: return x.isNaN ? node.defaultLeft : x <= node.threshold
        case .missingNone: return x.isNaN ? 0 <= node.threshold : x <= node.threshold
        case .missingZero: return x.isNaN || x == 0 ? node.defaultLeft : x <= node.threshold
        case .categorical: return tree.pointee.goesLeft(node: Int(node.treeNode), value: x)
        }
    }

    @inline(__always)
    private func run<V: QuadratureVector>(
        _ vector: V.Type, _ nodes: UnsafePointer<LinearTreeSHAPPlan.Node>, _ count: Int, _ tables: UnsafeRawPointer,
        _ tree: UnsafePointer<Tree>, _ row: UnsafePointer<Double>, _ phi: UnsafeMutablePointer<Double>
    ) {
        run(vector, nodes, count, tables, phi) { _, node in Self.goesLeft(node, row[Int(node.splitFeature)], tree) }
    }

    /// Adds one tree's contributions for the row whose decision at each internal node (by
    /// preorder index) `decide` gives: the row enters the algorithm only through them.
    @inline(__always)
    private func run<V: QuadratureVector>(
        _: V.Type, _ nodes: UnsafePointer<LinearTreeSHAPPlan.Node>, _ count: Int, _ tables: UnsafeRawPointer,
        _ phi: UnsafeMutablePointer<Double>, decide: (Int, LinearTreeSHAPPlan.Node) -> Bool
    ) {
        let step = MemoryLayout<V>.stride
        let product = pathProduct
        let sum = subtreeSum
        /// A node's four table vectors: stay ratio, leave ratio, stay share, leave share.
        @inline(__always) func table(_ index: Int, _ which: Int) -> V {
            tables.loadUnaligned(fromByteOffset: (index * 4 + which) * step, as: V.self)
        }
        product.storeBytes(of: V(repeating: 1), as: V.self)
        // Down: each internal node sends the row one way; each child's path product is its
        // parent's times the factor ratio of the case the row is in on that edge.
        for index in 0..<count {
            let node = nodes[index]
            guard node.splitFeature >= 0 else { continue }
            let wentLeft = decide(index, node)
            let from = product.load(fromByteOffset: index * step, as: V.self)
            @inline(__always) func descend(_ child: Int, _ followed: Bool) {
                let earlier = Int(nodes[child].previousOccurrence)
                let value: V
                if earlier >= 0, !onPath[earlier] {
                    onPath[child] = false
                    edgeCase[child] = 0
                    value = from * nodes[child].offPathScale
                } else {
                    onPath[child] = followed
                    edgeCase[child] = followed ? 1 : 2
                    value = from * table(child, followed ? 0 : 1)
                }
                product.storeBytes(of: value, toByteOffset: child * step, as: V.self)
            }
            descend(index + 1, wentLeft)
            descend(Int(node.rightChild), !wentLeft)
        }
        // Up: children before parents (the right subtree, then the left child, then the
        // parent); each edge adds its feature's share of the leaves below it.
        var index = count - 1
        while index > 0 {
            let node = nodes[index]
            let values: V = node.splitFeature < 0
                ? product.load(fromByteOffset: index * step, as: V.self) * node.leafValue
                : sum.load(fromByteOffset: index * step, as: V.self)
            let kind = edgeCase[index]
            if kind != 0 {
                phi[Int(node.edgeFeature)] += (table(index, kind == 1 ? 2 : 3) * values).sum()
            }
            let parent = Int(node.parent)
            if index == parent + 1 {
                let total = sum.load(fromByteOffset: parent * step, as: V.self) + values
                sum.storeBytes(of: total, toByteOffset: parent * step, as: V.self)
            } else {
                sum.storeBytes(of: values, toByteOffset: parent * step, as: V.self)
            }
            index -= 1
        }
    }
}
