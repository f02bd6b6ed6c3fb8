import Foundation

extension FeatureSpec {
    /// A value that reads as typical, for templates, forms and API examples: the bundle's own
    /// example, else the first category, else the middle of the training range (whole when
    /// the feature is), else "0".
    public var typicalValue: String {
        if let example { return example }
        if kind == .categorical { return categories?.first ?? "" }
        guard let low = minimum, let high = maximum else { return "0" }
        let middle = (low + high) / 2
        if kind == .integer || (low == low.rounded() && high == high.rounded()) { return String(Int(middle.rounded())) }
        return String(format: "%.2f", middle)
    }
}
