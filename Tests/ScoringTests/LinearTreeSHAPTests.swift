import Foundation
import Testing
@testable import Scoring

/// Linear TreeSHAP against the classic recursion on random trees: shapes the golden models
/// do not have (deep chains, features split many times on one path, every SIMD width, the
/// fallbacks for zero covers and very deep paths).
@Suite struct LinearTreeSHAPTests {
    /// Grows a random tree by splitting random leaves; `chain` always splits the newest leaf,
    /// on features in turn.
    static func randomTree(leaves: Int, features: Int, chain: Bool = false, zeroCover: Bool = false, using g: inout SeededGenerator) -> Tree {
        var left: [Int] = [], right: [Int] = [], split: [Int] = [], threshold: [Double] = []
        var leafOwner: [(node: Int, isLeft: Bool)?] = [nil]  // leaf → the slot pointing at it
        for _ in 1..<leaves {
            let leaf = chain ? leafOwner.count - 1 : Int.random(in: 0..<leafOwner.count, using: &g)
            let node = split.count
            split.append(chain ? node % features : Int.random(in: 0..<features, using: &g))
            threshold.append(Double.random(in: 0.2...0.8, using: &g))
            left.append(~leaf)
            right.append(~leafOwner.count)
            if let owner = leafOwner[leaf] {
                if owner.isLeft { left[owner.node] = node } else { right[owner.node] = node }
            }
            leafOwner[leaf] = (node, true)
            leafOwner.append((node, false))
        }
        let leafCounts = (0..<leaves).map { i in zeroCover && i == 0 ? 0 : Double(Int.random(in: 1...200, using: &g)) }
        var internalCounts = [Double](repeating: 0, count: split.count)
        func count(_ child: Int) -> Double {
            if child < 0 { return leafCounts[~child] }
            internalCounts[child] = count(left[child]) + count(right[child])
            return internalCounts[child]
        }
        _ = count(0)
        let nanDefaultLeft = DecisionType(rawValue: 2 << 2 | 2)
        let nanDefaultRight = DecisionType(rawValue: 2 << 2)
        return Tree(
            leafValues: (0..<leaves).map { _ in Double.random(in: -1...1, using: &g) },
            splitFeatures: split, thresholds: threshold,
            decisionTypes: split.indices.compactMap { _ in Bool.random(using: &g) ? nanDefaultLeft : nanDefaultRight },
            leftChildren: left, rightChildren: right, internalCounts: internalCounts, leafCounts: leafCounts,
            catBoundaries: [0], catThreshold: [], linearLeaves: nil)
    }

    /// Both algorithms on `rows` random rows; returns the largest difference and whether the plan was used.
    static func compare(_ tree: Tree, features: Int, rows: Int, using g: inout SeededGenerator) -> (difference: Double, linear: Bool) {
        let plan = LinearTreeSHAPPlan(tree: tree) { GaussLegendre(count: $0) }
        let classic = TreeSHAP(tree: tree)
        let fast = plan.map { LinearTreeSHAP(nodes: $0.nodes.count, lanes: $0.lanes) }
        var worst = 0.0
        for _ in 0..<rows {
            let row = (0..<features).map { _ in Double.random(in: 0...1, using: &g) < 0.1 ? .nan : Double.random(in: 0...1, using: &g) }
            var expected = [Double](repeating: 0, count: features + 1)
            var actual = [Double](repeating: 0, count: features + 1)
            row.withUnsafeBufferPointer { x in
                guard let x = x.baseAddress else { return }
                expected.withUnsafeMutableBufferPointer { classic.accumulate(row: x, into: $0.baseAddress!, featureCount: features) }
                actual.withUnsafeMutableBufferPointer { phi in
                    guard let plan, let fast else {
                        classic.accumulate(row: x, into: phi.baseAddress!, featureCount: features)
                        return
                    }
                    let slots = [ContributionPlans.Prepared.Slot(tree: 0, nodeStart: 0, nodeCount: plan.nodes.count, tableStart: 0)]
                    slots.withUnsafeBufferPointer { slots in
                        plan.nodes.withUnsafeBufferPointer { nodes in
                            plan.tables.withUnsafeBytes { tables in
                                withUnsafePointer(to: tree) { treePointer in
                                    fast.accumulate(slots, lanes: plan.lanes, nodes: nodes.baseAddress!, tables: tables.baseAddress!,
                                                    trees: treePointer, row: x, into: phi.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
            for i in 0..<features { worst = max(worst, abs(expected[i] - actual[i])) }
        }
        return (worst, plan != nil)
    }

    @Test func gaussLegendreIntegratesPolynomialsExactly() {
        for n in [1, 2, 3, 5, 8, 13, 32] {
            let rule = GaussLegendre(count: n)
            for degree in 0..<(2 * n) {
                var integral = 0.0
                for (t, w) in zip(rule.nodes, rule.weights) { integral += w * pow(t, Double(degree)) }
                #expect(abs(integral - 1 / Double(degree + 1)) <= 1e-14, "n \(n), degree \(degree)")
            }
        }
    }

    @Test(arguments: [(3, 2), (8, 3), (31, 4), (63, 6), (63, 40), (255, 12)])
    func randomTreesAgreeWithTheRecursion(leaves: Int, features: Int) {
        var g = SeededGenerator(seed: UInt64(leaves * 1000 + features))
        for _ in 0..<30 {
            let tree = Self.randomTree(leaves: leaves, features: features, using: &g)
            let (difference, linear) = Self.compare(tree, features: features, rows: 20, using: &g)
            #expect(linear)
            #expect(difference <= 1e-12, "\(leaves) leaves over \(features) features: \(difference)")
        }
    }

    @Test(arguments: [5, 11, 17, 33, 70])
    func deepChainsUseWideVectorsOrFallBack(depth: Int) {
        var g = SeededGenerator(seed: UInt64(depth))
        let tree = Self.randomTree(leaves: depth + 1, features: 80, chain: true, using: &g)
        let (difference, linear) = Self.compare(tree, features: 80, rows: 50, using: &g)
        // Beyond 64 features on a path the recursion takes over (more than 32 quadrature nodes).
        #expect(linear == (depth <= 64))
        // Both sides round differently on long paths; the bar is 1e-9.
        #expect(difference <= 1e-10, "chain of depth \(depth): \(difference)")
    }

    /// Small trees are looked up by their decisions: the table must give what the algorithm gives.
    @Test(arguments: [2, 3, 5, 8])
    func decisionPatternsGiveWhatTheAlgorithmGives(leaves: Int) throws {
        var g = SeededGenerator(seed: UInt64(100 + leaves))
        for _ in 0..<40 {
            let features = 4
            let tree = Self.randomTree(leaves: leaves, features: features, using: &g)
            let plan = try #require(LinearTreeSHAPPlan(tree: tree) { GaussLegendre(count: $0) })
            var patterns = DecisionPatterns()
            let tabled = patterns.add(tree: 0, plan: plan, nodeStart: 0, using: LinearTreeSHAP(nodes: plan.nodes.count, lanes: plan.lanes))
            #expect(tabled)
            let classic = TreeSHAP(tree: tree)
            for _ in 0..<20 {
                let row = (0..<features).map { _ in Double.random(in: 0...1, using: &g) < 0.1 ? .nan : Double.random(in: 0...1, using: &g) }
                var expected = [Double](repeating: 0, count: features + 1)
                var looked = [Double](repeating: 0, count: features + 1)
                row.withUnsafeBufferPointer { x in
                    expected.withUnsafeMutableBufferPointer { classic.accumulate(row: x.baseAddress!, into: $0.baseAddress!, featureCount: features) }
                    looked.withUnsafeMutableBufferPointer { phi in
                        plan.nodes.withUnsafeBufferPointer { nodes in
                            withUnsafePointer(to: tree) { patterns.accumulate(row: x.baseAddress!, into: phi.baseAddress!, nodes: nodes.baseAddress!, trees: $0) }
                        }
                    }
                }
                for i in 0..<features { #expect(abs(expected[i] - looked[i]) <= 1e-12, "\(leaves) leaves, feature \(i)") }
            }
        }
    }

    @Test func aLeafWithoutTrainingRowsFallsBackToTheRecursion() {
        var g = SeededGenerator(seed: 7)
        let tree = Self.randomTree(leaves: 20, features: 5, zeroCover: true, using: &g)
        #expect(LinearTreeSHAPPlan(tree: tree) { GaussLegendre(count: $0) } == nil)
    }
}
