/// One bin of a scorecard characteristic as the card states it, for showing the card (a model
/// card's points table) and for tests: `[lower, upper)` (or `(lower, upper]`) for a numeric
/// characteristic, with ±∞ for an unbounded side; `labels` for a categorical one (whose edges
/// are nil).
public struct ScorecardBin: Sendable, Equatable {
    public let lower: Double?
    public let upper: Double?
    public let labels: [String]
    public let points: Double
}

extension ScorecardModel {
    /// The bins of the characteristic at `feature` (a `featureNames` index), in the card's order.
    public func bins(of feature: Int) -> [ScorecardBin] {
        let characteristic = characteristics[feature]
        return characteristic.binPoints.indices.map { i in
            switch characteristic.kind {
            case .numeric:
                ScorecardBin(lower: characteristic.lowers[i], upper: characteristic.uppers[i], labels: [], points: characteristic.binPoints[i])
            case .categorical:
                ScorecardBin(lower: nil, upper: nil, labels: characteristic.binLabels[i], points: characteristic.binPoints[i])
            }
        }
    }

    /// Points for a missing value of the characteristic at `feature`, and for an unseen
    /// category or a number outside every bin.
    public func missingAndUnseenPoints(of feature: Int) -> (missing: Double, unseen: Double) {
        (characteristics[feature].missingPoints, characteristics[feature].unseenPoints)
    }
}
