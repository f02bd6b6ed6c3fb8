/// A raw feature's training distribution as bundle.json records it (`reference.features`),
/// used to say where an applicant's value stands. The bins only bound the training values,
/// so every share here is a share that is certainly below (or above) the value: a sentence
/// built on it is true of the training data, if sometimes modest.
struct ReasonReferenceBins: Sendable, Equatable {
    /// Bin i holds `edges[i] <= x < edges[i+1]`; the last bin also holds `x == edges.last`.
    let edges: [Double]
    /// Share of all training rows in each bin (missing values are the rest).
    let proportions: [Double]

    /// Where a value stands among past borrowers.
    enum Standing: Equatable {
        /// Higher than `percent` % of past borrowers' values (100: all of them).
        case high(percent: Int)
        /// Lower than `percent` % of past borrowers' values (100: all of them).
        case low(percent: Int)
        /// Neither: at least a third of past borrowers are on each side, or no bins.
        case typical
    }

    /// A value is called high (low) when it is above (below) at least this share of past borrowers.
    static let notableShare = 0.7

    /// nil unless the reference has well-formed bins: ascending edges, one more than the
    /// proportions, all finite, proportions non-negative.
    init?(_ reference: BundleManifest.FeatureReference?) {
        guard let edges = reference?.edges, let proportions = reference?.proportions,
              edges.count >= 2, edges.count == proportions.count + 1,
              edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 <= $1 }),
              proportions.allSatisfy({ $0.isFinite && $0 >= 0 })
        else { return nil }
        self.edges = edges
        self.proportions = proportions
    }

    /// The share of all training rows whose value is certainly lower than `x`: the bins that
    /// end at or below `x` (the last bin, which includes its upper edge, only when `x` is past it).
    func shareBelow(_ x: Double) -> Double {
        var share = 0.0
        for i in proportions.indices {
            let upper = edges[i + 1]
            let isLast = i == proportions.count - 1
            if upper < x || (!isLast && upper == x) { share += proportions[i] }
        }
        return share
    }

    /// The share of all training rows whose value is certainly higher than `x`: the bins that
    /// start above `x`.
    func shareAbove(_ x: Double) -> Double {
        var share = 0.0
        for i in proportions.indices where edges[i] > x { share += proportions[i] }
        return share
    }

    /// High, low or typical, with the percentage rounded down so that it stays true.
    func standing(of x: Double) -> Standing {
        let below = shareBelow(x)
        let above = shareAbove(x)
        if below >= Self.notableShare, below >= above { return .high(percent: Self.wholePercent(below)) }
        if above >= Self.notableShare { return .low(percent: Self.wholePercent(above)) }
        return .typical
    }

    /// A share as a whole percentage, rounded down (0.8997 → 89). The tolerance only undoes
    /// the rounding of summed proportions (which are counts over the row count), it never lifts
    /// a true 89.97 % to 90.
    static func wholePercent(_ share: Double) -> Int {
        min(100, max(0, Int((share * 100 + 1e-9).rounded(.down))))
    }
}
