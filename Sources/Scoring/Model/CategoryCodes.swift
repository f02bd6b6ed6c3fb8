/// How a categorical split turns a feature value into a category code: the libraries
/// differ at the edges (fractions, negative and huge values), and NaN is told apart so that
/// a split can send it to its own default side.
enum CategoryCodes: Sendable, Equatable {
    /// LightGBM: the double truncated toward zero (`static_cast<int>`), valid in (−1, 2³¹).
    case lightgbm
    /// XGBoost: the value cast to float, then truncated; valid in [0, 2²⁴) (its `InvalidCat`).
    case xgboost

    /// Code of an invalid value (goes where a category outside the split's set goes).
    static let invalid: Int32 = -1
    /// Code of NaN (missing).
    static let missing: Int32 = -2

    @inline(__always)
    func code(_ x: Double) -> Int32 {
        if x.isNaN { return Self.missing }
        switch self {
        case .lightgbm:
            return x > -1 && x < 2_147_483_648 ? Int32(x) : Self.invalid
        case .xgboost:
            let f = Float(x)
            return f >= 0 && f < 16_777_216 ? Int32(f) : Self.invalid
        }
    }
}
