/// Applicants' feature values, row-major, in the model's feature order; NaN means missing.
///
/// Setting a value applies LightGBM's own input rule: a magnitude at or below 1e-35 (as a
/// float, LightGBM's `kZeroThreshold`) is stored as exactly 0, as LightGBM's predictor drops
/// such values before it predicts. That keeps the evaluator bit-exact without a per-node test.
public struct FeatureMatrix: Sendable {
    public let featureCount: Int
    public private(set) var rowCount: Int
    private(set) var values: [Double]

    /// LightGBM's `kZeroThreshold`: `1e-35f` widened to double.
    static let zeroThreshold = Double(Float(1e-35))

    /// A matrix of `rowCount` rows, every value missing.
    public init(featureCount: Int, rowCount: Int = 0) {
        precondition(featureCount > 0, "a model has at least one feature")
        self.featureCount = featureCount
        self.rowCount = rowCount
        values = Array(repeating: .nan, count: featureCount * rowCount)
    }

    /// Rows already laid out (`values.count` a multiple of `featureCount`), kept as they are:
    /// for values a model computed itself (a pipeline's transformed columns), not inputs.
    init(featureCount: Int, computed values: [Double]) {
        precondition(featureCount > 0 && values.count % featureCount == 0, "whole rows of at least one feature")
        self.featureCount = featureCount
        rowCount = values.count / featureCount
        self.values = values
    }

    public subscript(row: Int, feature: Int) -> Double {
        get { values[row * featureCount + feature] }
        set { values[row * featureCount + feature] = Self.normalized(newValue) }
    }

    /// Appends a row of missing values and returns its index.
    @discardableResult
    public mutating func appendMissingRow() -> Int {
        values.append(contentsOf: repeatElement(.nan, count: featureCount))
        rowCount += 1
        return rowCount - 1
    }

    /// Appends one row given in model feature order.
    public mutating func appendRow(_ row: some Collection<Double>) {
        precondition(row.count == featureCount, "row has \(row.count) values for \(featureCount) features")
        values.append(contentsOf: row.lazy.map(Self.normalized))
        rowCount += 1
    }

    public mutating func reserveRows(_ count: Int) {
        values.reserveCapacity(count * featureCount)
    }

    /// The values of one row, in model feature order.
    public func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * featureCount)..<((index + 1) * featureCount)]
    }

    @inline(__always)
    static func normalized(_ value: Double) -> Double {
        abs(value) <= zeroThreshold ? 0 : value
    }
}
