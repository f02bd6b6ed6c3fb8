import Synchronization

/// A model's trees prepared for explanation, built the first time contributions are asked
/// for (most models only ever score) and then shared by every request.
final class ContributionPlans: Sendable {
    /// Every tree's plan in one node array and one table array, so that explaining a row
    /// walks plain memory from the first tree to the last.
    struct Prepared: Sendable {
        struct Slot: Sendable {
            /// First node in `nodes`, node count, first value in `tables`, vector width.
            let nodeStart: Int
            let nodeCount: Int
            let tableStart: Int
            let lanes: Int
        }

        /// Per tree: where its plan lies, or nil for a tree the classic recursion handles
        /// (and for one-leaf trees, which contribute nothing).
        let slots: [Slot?]
        let nodes: [LinearTreeSHAPPlan.Node]
        let tables: [Double]
        /// Trees with more than one leaf that have no plan.
        let recursionTrees: [Int]
        /// Σ of the trees' expected values, in tree order.
        let expectedValue: Double
        let maxNodes: Int
        let maxLanes: Int
    }

    private let state = Mutex<Prepared?>(nil)

    func prepared(_ trees: [Tree]) -> Prepared {
        state.withLock { cached in
            if let cached { return cached }
            let prepared = Self.prepare(trees)
            cached = prepared
            return prepared
        }
    }

    private static func prepare(_ trees: [Tree]) -> Prepared {
        var rules: [Int: GaussLegendre] = [:]
        var slots: [Prepared.Slot?] = []
        var nodes: [LinearTreeSHAPPlan.Node] = []
        var tables: [Double] = []
        var recursion: [Int] = []
        var maxNodes = 0
        var maxLanes = 0
        for (index, tree) in trees.enumerated() {
            let plan = LinearTreeSHAPPlan(tree: tree) { points in
                if let rule = rules[points] { return rule }
                let rule = GaussLegendre(count: points)
                rules[points] = rule
                return rule
            }
            guard let plan else {
                slots.append(nil)
                if tree.numLeaves > 1 { recursion.append(index) }
                continue
            }
            slots.append(Prepared.Slot(nodeStart: nodes.count, nodeCount: plan.nodes.count, tableStart: tables.count, lanes: plan.lanes))
            nodes += plan.nodes
            tables += plan.tables
            maxNodes = max(maxNodes, plan.nodes.count)
            maxLanes = max(maxLanes, plan.lanes)
        }
        var expected = 0.0
        for tree in trees { expected += tree.expectedValue }
        return Prepared(
            slots: slots, nodes: nodes, tables: tables, recursionTrees: recursion, expectedValue: expected,
            maxNodes: maxNodes, maxLanes: maxLanes)
    }
}
