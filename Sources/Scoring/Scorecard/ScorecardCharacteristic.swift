/// One characteristic ready to score: numeric bins searched by edge, or a points table indexed
/// by category code. Built (and checked) from the document by `init(record:)`.
struct ScorecardCharacteristic: Sendable {
    enum Kind: Sendable { case numeric, categorical }

    let name: String
    let kind: Kind
    /// Numeric: each bin's lower and upper edge, −∞ / +∞ where the document leaves a side
    /// unbounded (an unbounded side includes the infinity itself), in ascending order.
    let lowers: [Double]
    let uppers: [Double]
    /// `[a, b)` when true, `(a, b]` when false.
    let closedLeft: Bool
    /// Numeric: the points of each bin, in bin order.
    let binPoints: [Double]
    /// Numeric special values and their points, tested before the bins.
    let specialValues: [Double]
    let specialPoints: [Double]
    /// Categorical: the labels a code stands for (a code is a position here) and their points.
    let labels: [String]
    let labelPoints: [Double]
    /// Categorical: the labels each bin lists, in bin order.
    let binLabels: [[String]]
    let missingPoints: Double
    /// An unseen category, a code outside `labels`, or a number outside every bin.
    let unseenPoints: Double
    /// The most favourable points of any bin (the most points when higher is safer): what a
    /// perfect applicant gets here, and what reasons measure the points lost against.
    let bestPoints: Double
    /// The training range when the document records it.
    let range: ClosedRange<Double>?

    /// The points this characteristic gives a feature-matrix value: NaN is missing (the unseen
    /// NaN an unknown label, for a categorical), then special values, then the bins.
    @inline(__always)
    func points(_ x: Double) -> Double {
        switch kind {
        case .categorical:
            if x.isNaN { return FeatureValue.isUnseen(x) ? unseenPoints : missingPoints }
            guard x >= 0, x < Double(labelPoints.count), x == x.rounded(.down) else { return unseenPoints }
            return labelPoints[Int(x)]
        case .numeric:
            if x.isNaN { return missingPoints }
            for (i, value) in specialValues.enumerated() where value == x { return specialPoints[i] }
            return closedLeft ? leftClosedPoints(x) : rightClosedPoints(x)
        }
    }

    /// `[a, b)`: the last bin whose lower edge is at or below `x`, if `x` is below its upper.
    @inline(__always)
    private func leftClosedPoints(_ x: Double) -> Double {
        var low = 0
        var high = lowers.count
        while low < high {
            let mid = (low + high) >> 1
            if lowers[mid] <= x { low = mid + 1 } else { high = mid }
        }
        let i = low - 1
        guard i >= 0, x < uppers[i] || uppers[i] == .infinity else { return unseenPoints }
        return binPoints[i]
    }

    /// `(a, b]`: the first bin whose upper edge is at or above `x`, if `x` is above its lower.
    @inline(__always)
    private func rightClosedPoints(_ x: Double) -> Double {
        var low = 0
        var high = uppers.count
        while low < high {
            let mid = (low + high) >> 1
            if uppers[mid] < x { low = mid + 1 } else { high = mid }
        }
        guard low < uppers.count, x > lowers[low] || lowers[low] == -.infinity else { return unseenPoints }
        return binPoints[low]
    }
}
