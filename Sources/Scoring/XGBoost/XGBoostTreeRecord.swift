/// One tree of an XGBoost model as the document stores it: parallel arrays indexed by node,
/// the root at 0, `left == -1` at a leaf (whose value is its `conditions` entry).
struct XGBoostTreeRecord: Sendable {
    let left: [Int]
    let right: [Int]
    let features: [Int]
    /// Split condition (left when x < condition), or the leaf value at a leaf.
    let conditions: [Float]
    let defaultLeft: [Bool]
    /// Per node: its categories (which go right) when the split is categorical, else nil.
    let categories: [[Int]?]
    /// The training rows' hessian sum at each node: TreeSHAP's cover.
    let cover: [Float]

    init(_ value: XGBoostValue, number: Int) throws(ModelLoadError) {
        func field<T>(_ key: String, _ read: (XGBoostValue) -> T?) throws(ModelLoadError) -> T {
            guard let item = value[key], let result = read(item) else {
                throw ModelLoadError(tree: number, "The XGBoost tree has no readable '\(key)' array.")
            }
            return result
        }
        if let leafVector = value["tree_param"]?["size_leaf_vector"]?.integer, leafVector > 1 {
            throw ModelLoadError(tree: number, "XGBoost multi-output trees (size_leaf_vector \(leafVector)) are not supported: LoanRisk serves binary classifiers with one output.")
        }
        left = try field("left_children") { $0.integerArray }
        right = try field("right_children") { $0.integerArray }
        features = try field("split_indices") { $0.integerArray }
        conditions = try field("split_conditions") { $0.floatArray }
        defaultLeft = try field("default_left") { $0.integerArray }.map { $0 != 0 }
        cover = try field("sum_hessian") { $0.floatArray }
        let count = left.count
        guard count > 0, [right.count, features.count, conditions.count, defaultLeft.count, cover.count].allSatisfy({ $0 == count }) else {
            throw ModelLoadError(tree: number, "The XGBoost tree's node arrays have different lengths.")
        }
        var categories = [[Int]?](repeating: nil, count: count)
        let types = value["split_type"]?.integerArray ?? []
        if types.contains(1) {
            let nodes = try field("categories_nodes") { $0.integerArray }
            let segments = try field("categories_segments") { $0.integerArray }
            let sizes = try field("categories_sizes") { $0.integerArray }
            let all = try field("categories") { $0.integerArray }
            guard nodes.count == segments.count, nodes.count == sizes.count else {
                throw ModelLoadError(tree: number, "The XGBoost tree's categorical split arrays have different lengths.")
            }
            for (k, node) in nodes.enumerated() {
                let start = segments[k]
                let end = start + sizes[k]
                guard node >= 0, node < count, start >= 0, end <= all.count, start <= end else {
                    throw ModelLoadError(tree: number, "The XGBoost tree's categorical split \(k) points outside the tree.")
                }
                categories[node] = Array(all[start..<end])
            }
            for (node, type) in types.enumerated() where type == 1 && node < count && categories[node] == nil && left[node] >= 0 {
                throw ModelLoadError(tree: number, "The XGBoost tree's categorical split at node \(node) lists no categories.")
            }
        }
        self.categories = categories
        for node in 0..<count where left[node] >= 0 {
            guard left[node] < count, right[node] >= 0, right[node] < count, features[node] >= 0 else {
                throw ModelLoadError(tree: number, "The XGBoost tree's node \(node) has a child or feature out of range.")
            }
            guard categories[node] != nil || conditions[node].isFinite else {
                throw ModelLoadError(tree: number, "The XGBoost tree's node \(node) splits at \(conditions[node]), which is not a finite number.")
            }
        }
    }
}
