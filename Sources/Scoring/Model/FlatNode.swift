/// One node of the prediction layout: 16 bytes, so four share a cache line.
///
/// Trees are stored in preorder, so a node's left child is the next node and only the right
/// child's index is kept. LightGBM's missing-value rules are folded into four numeric kinds
/// at load time (see `TreeEnsemble.kind(for:threshold:)`), leaving one comparison per node.
struct FlatNode: Sendable {
    /// Threshold for a numeric split, leaf value for a leaf; for a categorical split, the
    /// bit pattern of `(first word << 32) | word count` in `TreeEnsemble.categoryWords`.
    var value: Double
    /// Index of the right child in `TreeEnsemble.nodes`.
    var right: Int32
    /// Feature index in the low 28 bits, `Kind` in the high 4.
    var info: UInt32

    enum Kind: UInt32 {
        /// left iff x ≤ t (NaN goes right).
        case lessOrEqual = 0
        /// left iff !(x > t) (NaN goes left).
        case lessOrEqualNaNLeft = 1
        /// left iff x ≤ t and x ≠ 0 (zero and NaN are missing and go right).
        case lessOrEqualZeroRight = 2
        /// left iff !(x > t) or x = 0 (zero and NaN are missing and go left).
        case lessOrEqualZeroLeft = 3
        /// left iff the truncated value's bit is set in the category bitset.
        case categorical = 4
        case leaf = 5
        /// As `categorical`, and NaN goes left (XGBoost splits whose default side is left).
        case categoricalNaNLeft = 6
    }

    static let featureMask: UInt32 = (1 << 28) - 1

    @inline(__always) var kind: UInt32 { info >> 28 }
    @inline(__always) var feature: Int { Int(info & Self.featureMask) }
}
