/// Counts for one input over some rows: one per bin of its `DriftBins`, and how many
/// values were below or above the training range. Tallies of disjoint rows add up, so
/// chunks scored on different threads, and windows over time, merge by `+=`.
public struct DriftTally: Sendable, Equatable, Codable {
    public var counts: [Int]
    public var below = 0
    public var above = 0

    public init(binCount: Int) {
        counts = [Int](repeating: 0, count: binCount)
    }

    public var total: Int { counts.reduce(0, +) }

    public static func += (a: inout DriftTally, b: DriftTally) {
        if a.counts.isEmpty { a.counts = [Int](repeating: 0, count: b.counts.count) }
        for i in 0..<min(a.counts.count, b.counts.count) { a.counts[i] += b.counts[i] }
        a.below += b.below
        a.above += b.above
    }
}
