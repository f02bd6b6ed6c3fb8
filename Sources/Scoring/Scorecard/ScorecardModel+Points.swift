import Foundation

extension ScorecardModel {
    /// The card's own score of every row (what the library prints), rows split across
    /// `threads` workers: bit-identical to `totalPoints(_:row:)`.
    public func totalPoints(_ matrix: FeatureMatrix, threads: Int) -> [Double] {
        let rows = matrix.rowCount
        let width = matrix.featureCount
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows) { output, initialized in
                guard let inputBase = values.baseAddress, let outputBase = output.baseAddress else { return }
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outputBase)
                ParallelRows.run(rowCount: rows, threads: threads) { range in
                    for row in range { (out.base + row).initialize(to: total(input.base + row * width)) }
                }
                initialized = rows
            }
        }
    }

    /// The points a raw score (log-odds of default) stands for, through the odds mapping: for
    /// showing a score where only the raw score was kept. It inverts `ScorecardOdds.logOdds`,
    /// so it agrees with the row's total to within a few ulps, not bit for bit: use
    /// `totalPoints` where the row itself is at hand.
    public func points(rawScore: Double) -> Double {
        odds.score - odds.direction * odds.factor * (rawScore + Foundation.log(odds.odds))
    }
}
