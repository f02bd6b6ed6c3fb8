/// The bits of LightGBM's `decision_type` byte for one split.
///
/// bit 0: categorical; bit 1: default_left; bits 2–3: missing type (0 None, 1 Zero, 2 NaN).
struct DecisionType: Equatable, Sendable {
    enum MissingType: UInt8, Sendable { case none = 0, zero = 1, nan = 2 }

    let isCategorical: Bool
    let defaultLeft: Bool
    let missingType: MissingType

    init?(rawValue: Int) {
        guard (0...15).contains(rawValue), let missing = MissingType(rawValue: UInt8((rawValue >> 2) & 3)) else {
            return nil
        }
        isCategorical = rawValue & 1 != 0
        defaultLeft = rawValue & 2 != 0
        missingType = missing
    }
}

extension DecisionType {
    /// A decision type built from its parts (for trees from other libraries).
    init(isCategorical: Bool, defaultLeft: Bool, missingType: MissingType) {
        self.isCategorical = isCategorical
        self.defaultLeft = defaultLeft
        self.missingType = missingType
    }
}
