/// Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, algorithm 2): for LightGBM,
/// kept for the trees `LinearTreeSHAPPlan` cannot take (a node without training rows) — the
/// values LightGBM's `pred_contrib` returns; for scikit-learn's trees, the values `shap`'s
/// `TreeExplainer` returns. Per feature, its contribution to the raw score, plus the expected
/// value, summing to the raw score. Generic over the tree's layout (`ExplainedTree`).
///
/// The recursion keeps, for the path from the root, which features were split on and the
/// fractions of "zero" (feature unknown: training rows) and "one" (feature known: this row)
/// paths flowing through; at a leaf each feature on the path receives its Shapley weight.
struct TreeSHAP<T: ExplainedTree> {
    private struct PathElement {
        var feature = -1
        var zeroFraction = 0.0
        var oneFraction = 0.0
        var weight = 0.0
    }

    /// Scratch for the paths of every level of the recursion, owned by one worker.
    private final class PathBuffer {
        let elements: UnsafeMutablePointer<PathElement>

        init(count: Int) {
            elements = .allocate(capacity: count)
            elements.initialize(repeating: PathElement(), count: count)
        }

        deinit { elements.deallocate() }
    }

    let tree: T
    private let buffer: PathBuffer
    private let path: UnsafeMutablePointer<PathElement>

    init(tree: T) {
        self.tree = tree
        let length = tree.maxDepth + 2
        buffer = PathBuffer(count: length * (length + 1) / 2)
        path = buffer.elements
    }

    /// Adds this tree's feature contributions for `row` to `phi` (the expected value is the caller's).
    func accumulate(row: UnsafePointer<Double>, into phi: UnsafeMutablePointer<Double>, featureCount: Int) {
        guard let root = tree.root else { return }
        recurse(node: root, row: row, phi: phi, start: 0, depth: 0, zeroFraction: 1, oneFraction: 1, feature: -1)
    }

    /// `start` is where this level's copy of the path begins in `path`.
    private func recurse(
        node: Int, row: UnsafePointer<Double>, phi: UnsafeMutablePointer<Double>,
        start: Int, depth: Int, zeroFraction: Double, oneFraction: Double, feature: Int
    ) {
        var depth = depth
        let parentStart = start - depth
        if depth > 0 {
            for i in 0..<depth { path[start + i] = path[parentStart + i] }
        }
        extend(start, depth, zeroFraction, oneFraction, feature)
        if let value = tree.leafValue(node) {
            for i in stride(from: 1, through: depth, by: 1) {
                let element = path[start + i]
                let w = unwoundSum(start, depth, i)
                phi[element.feature] += w * (element.oneFraction - element.zeroFraction) * value
            }
            return
        }
        let split = tree.splitFeature(node)
        let left = tree.leftChild(node)
        let right = tree.rightChild(node)
        let hot = tree.goesLeft(node: node, value: row[split]) ? left : right
        let cold = hot == left ? right : left
        let w = tree.cover(node)
        let hotZero = tree.cover(hot) / w
        let coldZero = tree.cover(cold) / w
        var incomingZero = 1.0
        var incomingOne = 1.0
        // A feature split on before: undo that split, and redo it here with both fractions.
        var k = 0
        while k <= depth, path[start + k].feature != split { k += 1 }
        if k <= depth {
            incomingZero = path[start + k].zeroFraction
            incomingOne = path[start + k].oneFraction
            unwind(start, depth, k)
            depth -= 1
        }
        let next = start + depth + 1
        recurse(node: hot, row: row, phi: phi, start: next, depth: depth + 1,
                zeroFraction: hotZero * incomingZero, oneFraction: incomingOne, feature: split)
        recurse(node: cold, row: row, phi: phi, start: next, depth: depth + 1,
                zeroFraction: coldZero * incomingZero, oneFraction: 0, feature: split)
    }

    private func extend(_ start: Int, _ depth: Int, _ zero: Double, _ one: Double, _ feature: Int) {
        path[start + depth] = PathElement(feature: feature, zeroFraction: zero, oneFraction: one, weight: depth == 0 ? 1 : 0)
        let scale = Double(depth + 1)
        for i in stride(from: depth - 1, through: 0, by: -1) {
            path[start + i + 1].weight += one * path[start + i].weight * Double(i + 1) / scale
            path[start + i].weight = zero * path[start + i].weight * Double(depth - i) / scale
        }
    }

    private func unwind(_ start: Int, _ depth: Int, _ index: Int) {
        let one = path[start + index].oneFraction
        let zero = path[start + index].zeroFraction
        var nextOne = path[start + depth].weight
        let scale = Double(depth + 1)
        for i in stride(from: depth - 1, through: 0, by: -1) {
            if one != 0 {
                let previous = path[start + i].weight
                path[start + i].weight = nextOne * scale / (Double(i + 1) * one)
                nextOne = previous - path[start + i].weight * zero * Double(depth - i) / scale
            } else {
                path[start + i].weight = path[start + i].weight * scale / (zero * Double(depth - i))
            }
        }
        for i in index..<depth {
            path[start + i].feature = path[start + i + 1].feature
            path[start + i].zeroFraction = path[start + i + 1].zeroFraction
            path[start + i].oneFraction = path[start + i + 1].oneFraction
        }
    }

    private func unwoundSum(_ start: Int, _ depth: Int, _ index: Int) -> Double {
        let one = path[start + index].oneFraction
        let zero = path[start + index].zeroFraction
        var nextOne = path[start + depth].weight
        var total = 0.0
        let scale = Double(depth + 1)
        for i in stride(from: depth - 1, through: 0, by: -1) {
            if one != 0 {
                let t = nextOne * scale / (Double(i + 1) * one)
                total += t
                nextOne = path[start + i].weight - t * zero * (Double(depth - i) / scale)
            } else {
                total += (path[start + i].weight / zero) / (Double(depth - i) / scale)
            }
        }
        return total
    }
}
