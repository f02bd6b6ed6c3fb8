/// One tree as LightGBM writes it: parallel arrays indexed by internal node, children
/// that are either nodes (≥ 0) or leaves (`~child`). `TreeEnsemble` rewrites these into the
/// layout used for prediction; this form is kept for explanations, which walk the tree.
public struct Tree: Sendable {
    public let leafValues: [Double]
    public let splitFeatures: [Int]
    public let thresholds: [Double]
    let decisionTypes: [DecisionType]
    public let leftChildren: [Int]
    public let rightChildren: [Int]
    /// Number of training rows that reached each internal node and each leaf (TreeSHAP weights).
    public let internalCounts: [Double]
    public let leafCounts: [Double]
    /// Bitset words of every categorical split; split k owns `catThreshold[catBoundaries[k]..<catBoundaries[k+1]]`.
    let catBoundaries: [Int]
    let catThreshold: [UInt32]
    /// Linear leaves (`is_linear=1`): per leaf a constant plus coefficients on features.
    let linearLeaves: [LinearLeaf]?
    /// How categorical splits read a value (LightGBM's rule unless the tree came from XGBoost).
    var categoryCodes = CategoryCodes.lightgbm

    public var numLeaves: Int { leafValues.count }
    public var isLinear: Bool { linearLeaves != nil }

    struct LinearLeaf: Sendable {
        let constant: Double
        let features: [Int]
        let coefficients: [Double]
    }
}
