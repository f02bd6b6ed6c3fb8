import Synchronization

/// A model's trees prepared for explanation, built the first time contributions are asked
/// for (most models only ever score) and then shared by every request.
final class ContributionPlans: Sendable {
    struct Prepared: Sendable {
        /// Per tree: its Linear TreeSHAP plan, or nil for a tree the classic recursion handles.
        let plans: [LinearTreeSHAPPlan?]
        /// Σ of the trees' expected values, in tree order.
        let expectedValue: Double
        let maxNodes: Int
        let maxLanes: Int
    }

    private let state = Mutex<Prepared?>(nil)

    func prepared(_ trees: [Tree]) -> Prepared {
        state.withLock { cached in
            if let cached { return cached }
            var rules: [Int: GaussLegendre] = [:]
            let plans = trees.map { tree in
                LinearTreeSHAPPlan(tree: tree) { points in
                    if let rule = rules[points] { return rule }
                    let rule = GaussLegendre(count: points)
                    rules[points] = rule
                    return rule
                }
            }
            var expected = 0.0
            for tree in trees { expected += tree.expectedValue }
            let prepared = Prepared(
                plans: plans, expectedValue: expected,
                maxNodes: plans.map { $0?.nodes.count ?? 0 }.max() ?? 0,
                maxLanes: plans.map { $0?.lanes ?? 0 }.max() ?? 0)
            cached = prepared
            return prepared
        }
    }
}
