import Synchronization

/// A model's trees prepared for explanation, built the first time contributions are asked
/// for (most models only ever score) and then shared by every request.
final class ContributionPlans: Sendable {
    /// Every tree's plan in one node array and one table array, so that explaining a row
    /// walks plain memory from the first tree to the last.
    struct Prepared: Sendable {
        struct Slot: Sendable {
            /// The tree's index in the model, first node in `nodes`, node count, first value in `tables`.
            let tree: Int
            let nodeStart: Int
            let nodeCount: Int
            let tableStart: Int
        }

        /// Consecutive planned trees of one vector width whose tables together stay small:
        /// a row goes through a group in one call, and a block of rows through it while its
        /// tables are in cache. Small trees (a few nodes) spent more on the call than on the tree.
        struct Group: Sendable {
            let slots: Range<Int>
            let lanes: Int
        }

        /// The trees that have a plan, in model order (one-leaf trees contribute nothing and
        /// trees without a plan take the classic recursion).
        let slots: [Slot]
        let groups: [Group]
        /// Small trees, looked up by their decisions instead (their nodes are in `nodes` too).
        let patterns: DecisionPatterns
        let nodes: [LinearTreeSHAPPlan.Node]
        let tables: [Double]
        /// Trees with more than one leaf that have no plan.
        let recursionTrees: [Int]
        /// Σ of the trees' expected values, in tree order.
        let expectedValue: Double
        let maxNodes: Int
        let maxLanes: Int
    }

    /// Table values a group may hold (32 KB: a block of rows keeps them in the core's cache).
    static let groupTableValues = 4096

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
        var slots: [Prepared.Slot] = []
        var groups: [Prepared.Group] = []
        var groupStart = 0
        var groupLanes = 0
        var groupTableValues = 0
        var nodes: [LinearTreeSHAPPlan.Node] = []
        var tables: [Double] = []
        var recursion: [Int] = []
        var patterns = DecisionPatterns()
        var scratch: LinearTreeSHAP?
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
                if tree.numLeaves > 1 { recursion.append(index) }
                continue
            }
            let tabler = scratch ?? LinearTreeSHAP(nodes: 2 * (DecisionPatterns.maximumInternalNodes + 1), lanes: 32)
            scratch = tabler
            if plan.nodes.count <= 2 * DecisionPatterns.maximumInternalNodes + 1,
               patterns.add(tree: index, plan: plan, nodeStart: nodes.count, using: tabler) {
                nodes += plan.nodes
                continue
            }
            if slots.count > groupStart, plan.lanes != groupLanes || groupTableValues + plan.tables.count > Self.groupTableValues {
                groups.append(Prepared.Group(slots: groupStart..<slots.count, lanes: groupLanes))
                groupStart = slots.count
                groupTableValues = 0
            }
            groupLanes = plan.lanes
            groupTableValues += plan.tables.count
            slots.append(Prepared.Slot(tree: index, nodeStart: nodes.count, nodeCount: plan.nodes.count, tableStart: tables.count))
            nodes += plan.nodes
            tables += plan.tables
            maxNodes = max(maxNodes, plan.nodes.count)
            maxLanes = max(maxLanes, plan.lanes)
        }
        if slots.count > groupStart { groups.append(Prepared.Group(slots: groupStart..<slots.count, lanes: groupLanes)) }
        var expected = 0.0
        for tree in trees { expected += tree.expectedValue }
        return Prepared(
            slots: slots, groups: groups, patterns: patterns, nodes: nodes, tables: tables, recursionTrees: recursion, expectedValue: expected,
            maxNodes: maxNodes, maxLanes: maxLanes)
    }
}
