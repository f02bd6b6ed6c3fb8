/// One tree prepared for Linear TreeSHAP (Yu, Bu, Ng et al., "Linear TreeShap", 2022): the
/// same values as path-dependent TreeSHAP, in time linear in the tree's size.
///
/// For a leaf l whose path splits on the features F (each with q, its product of training
/// cover ratios along the path, and p ∈ {0, 1}, whether the row follows every one of its
/// splits), feature i receives
///
///     v_l · (p_i − q_i) · ∫₀¹ Π_{j∈F, j≠i} (p_j·t + q_j·(1 − t)) dt,
///
/// a polynomial integral that Gauss–Legendre quadrature with ⌈|F|/2⌉ nodes computes
/// exactly. Working on the values at the quadrature nodes, a pass down the tree multiplies
/// in one factor per edge (Pₗ), a pass up sums v·Pₗ over the leaves under each node (H),
/// and each edge adds its feature's share from H. A feature split on again deeper in a
/// path is handled by telescoping: each occurrence contributes the difference between its
/// cumulative factor and the previous one.
///
/// Everything that depends only on the tree (the per-edge factor ratios and share weights
/// at the nodes) is computed here once; a row then costs two flat loops over the nodes.
struct LinearTreeSHAPPlan: Sendable {
    /// One node, in preorder (parent before children, left subtree first).
    struct Node: Sendable {
        /// Preorder index of the parent (−1 for the root).
        var parent: Int32 = -1
        /// Internal nodes: the preorder index of the right child (the left one is the next node).
        var rightChild: Int32 = -1
        /// Internal nodes: the node index in `Tree`.
        var treeNode: Int32 = -1
        /// Internal nodes: the split feature, read from the row; −1 marks a leaf.
        var splitFeature: Int32 = -1
        /// The feature split on the edge into this node (−1 for the root).
        var edgeFeature: Int32 = -1
        /// The node below the previous edge on this path splitting the same feature, or −1.
        var previousOccurrence: Int32 = -1
        /// Leaves: the leaf value.
        var leafValue = 0.0
        /// Edge factor ratio when the row already left this feature's path above: q / q_previous.
        var offPathScale = 1.0
        /// Internal nodes: LightGBM's numeric rule (threshold, missing type, default side);
        /// categorical splits are decided by `Tree.goesLeft`.
        var threshold = 0.0
        var rule = Rule.categorical
        var defaultLeft = false
    }

    /// How an internal node sends a value, as `Tree.goesLeft` decides it.
    enum Rule: UInt8, Sendable {
        case categorical, missingNone, missingZero, missingNaN
    }

    let nodes: [Node]
    /// Quadrature values per vector: 2, 4, 6, 8, 16 or 32.
    let lanes: Int
    /// Per node, `4 · lanes` values: the factor ratio when the row stays on the feature's
    /// path, when it leaves it at this edge, then the weighted share differences for the same
    /// two cases.
    let tables: [Double]

    /// Nil when the tree cannot use this method (a node with no training rows: a zero
    /// cover makes the factors singular); such trees use the classic recursion.
    init?(tree: Tree, quadrature: (Int) -> GaussLegendre) {
        guard tree.numLeaves > 1,
              !tree.internalCounts.contains(where: { !($0 > 0) }),
              !tree.leafCounts.contains(where: { !($0 > 0) })
        else { return nil }
        let count = 2 * tree.numLeaves - 1
        var parent = [Int32](repeating: -1, count: count)
        var rightChild = [Int32](repeating: -1, count: count)
        var treeNode = [Int32](repeating: -1, count: count)
        var splitFeature = [Int32](repeating: -1, count: count)
        var leafValue = [Double](repeating: 0, count: count)
        var edgeFeature = [Int32](repeating: -1, count: count)
        var previous = [Int32](repeating: -1, count: count)
        var cumulativeCover = [Double](repeating: 1, count: count)
        var previousCover = [Double](repeating: 1, count: count)
        var uniqueDepth = [Int](repeating: 0, count: count)

        // Preorder numbering with an explicit stack of (tree child id, preorder parent).
        var next = 0
        var stack: [(child: Int, parent: Int)] = [(0, -1)]
        while let (child, up) = stack.popLast() {
            let index = next
            next += 1
            parent[index] = Int32(up)
            if up >= 0 {
                let feature = splitFeature[up]
                edgeFeature[index] = feature
                let ratio = tree.count(child) / tree.count(Int(treeNode[up]))
                // The previous edge on this path with the same feature.
                var walker = up
                var found: Int32 = -1
                while walker > 0 {
                    if edgeFeature[walker] == feature { found = Int32(walker); break }
                    walker = Int(parent[walker])
                }
                previous[index] = found
                previousCover[index] = found >= 0 ? cumulativeCover[Int(found)] : 1
                cumulativeCover[index] = previousCover[index] * ratio
                uniqueDepth[index] = uniqueDepth[up] + (found >= 0 ? 0 : 1)
            }
            if child >= 0 {
                treeNode[index] = Int32(child)
                splitFeature[index] = Int32(tree.splitFeatures[child])
                // Right is pushed first so the left subtree is numbered next.
                stack.append((tree.rightChildren[child], index))
                stack.append((tree.leftChildren[child], index))
            } else {
                leafValue[index] = tree.leafValues[~child]
            }
        }
        // Right children: the sibling numbered after the left subtree; find from parents.
        for index in 1..<count {
            let up = Int(parent[index])
            if index != up + 1 { rightChild[up] = Int32(index) }
        }

        let depth = uniqueDepth.max() ?? 1
        let points = max(1, (depth + 1) / 2)
        // One vector of 2, 4, 6, 8, 16 or 32 values (`QuadratureVector`); padding lanes weigh nothing.
        let lanes = points <= 2 ? 2 : points <= 4 ? 4 : points <= 6 ? 6 : points <= 8 ? 8 : points <= 16 ? 16 : 32
        guard points <= lanes else { return nil }
        let rule = quadrature(points)
        var tables = [Double](repeating: 0, count: count * 4 * lanes)
        var offPathScale = [Double](repeating: 1, count: count)
        for index in 1..<count {
            let q = cumulativeCover[index]
            let qPrevious = previousCover[index]
            offPathScale[index] = q / qPrevious
            let base = index * 4 * lanes
            for k in 0..<lanes {
                // Padding lanes have weight 0 and a harmless node.
                let t = k < points ? rule.nodes[k] : 0.5
                let w = k < points ? rule.weights[k] : 0
                let onFactor = t + q * (1 - t)
                let previousFactor = t + qPrevious * (1 - t)
                let previousShare = (1 - qPrevious) / previousFactor
                tables[base + k] = onFactor / previousFactor
                tables[base + lanes + k] = q * (1 - t) / previousFactor
                tables[base + 2 * lanes + k] = w * ((1 - q) / onFactor - previousShare)
                tables[base + 3 * lanes + k] = w * (-1 / (1 - t) - previousShare)
            }
        }
        var nodes = [Node](repeating: Node(), count: count)
        for i in 0..<count {
            nodes[i] = Node(
                parent: parent[i], rightChild: rightChild[i], treeNode: treeNode[i], splitFeature: splitFeature[i],
                edgeFeature: edgeFeature[i], previousOccurrence: previous[i], leafValue: leafValue[i],
                offPathScale: offPathScale[i])
            let node = Int(treeNode[i])
            guard node >= 0 else { continue }
            let type = tree.decisionTypes[node]
            nodes[i].threshold = tree.thresholds[node]
            nodes[i].defaultLeft = type.defaultLeft
            let numeric: Rule = switch type.missingType {
            case .none: .missingNone
            case .zero: .missingZero
            case .nan: .missingNaN
            }
            nodes[i].rule = type.isCategorical ? .categorical : numeric
        }
        self.nodes = nodes
        self.lanes = lanes
        self.tables = tables
    }
}
