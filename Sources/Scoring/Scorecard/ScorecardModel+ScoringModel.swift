import Foundation

extension ScorecardModel: ScoringModel {
    public var kind: ModelKind { .scorecard }

    /// Every categorical characteristic's labels, in the document's order (bin by bin, then
    /// special labels): a code is a label's position here.
    public var categoryLabels: [Int: [String]] {
        var labels: [Int: [String]] = [:]
        for (feature, characteristic) in characteristics.enumerated() where characteristic.kind == .categorical {
            labels[feature] = characteristic.labels
        }
        return labels
    }

    public var inferredFeatures: [FeatureSpec] {
        characteristics.map { characteristic in
            switch characteristic.kind {
            case .categorical:
                FeatureSpec(name: characteristic.name, kind: .categorical, categories: characteristic.labels)
            case .numeric:
                FeatureSpec(
                    name: characteristic.name, kind: .numeric,
                    minimum: characteristic.range?.lowerBound, maximum: characteristic.range?.upperBound)
            }
        }
    }

    /// The log-odds of default each row's total implies (see `ScorecardOdds`).
    public func rawScores(_ matrix: FeatureMatrix, threads: Int) -> [Double] {
        let rows = matrix.rowCount
        let width = matrix.featureCount
        let odds = self.odds
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows) { output, initialized in
                guard let inputBase = values.baseAddress, let outputBase = output.baseAddress else { return }
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outputBase)
                ParallelRows.run(rowCount: rows, threads: threads) { range in
                    for row in range { (out.base + row).initialize(to: odds.logOdds(points: total(input.base + row * width))) }
                }
                initialized = rows
            }
        }
    }

    /// The logistic of the log-odds: the mapping's probability of default.
    public func probability(rawScore: Double) -> Double {
        1 / (1 + exp(-rawScore))
    }

    public var canExplain: Bool { true }

    /// Per row, each characteristic's points lost against its best bin, in log-odds (points
    /// lost ÷ factor, positive when it raises the risk), then the expected value: the raw score
    /// of a perfect applicant. They add up to the row's raw score; ranking them is reading a
    /// scorecard's adverse-action reasons (the characteristics where the most points were lost).
    public func contributions(_ matrix: FeatureMatrix, threads: Int) throws(ExplanationError) -> [Double] {
        let rows = matrix.rowCount
        let features = matrix.featureCount
        let width = features + 1
        let factor = odds.factor
        let higherIsSafer = odds.higherIsSafer
        let expected = odds.logOdds(points: bestTotalPoints)
        let characteristics = self.characteristics
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
                guard let inputBase = values.baseAddress, let outputBase = output.baseAddress else { return }
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outputBase)
                ParallelRows.run(rowCount: rows, threads: threads) { range in
                    for row in range {
                        let x = input.base + row * features
                        let o = out.base + row * width
                        for (f, characteristic) in characteristics.enumerated() {
                            let points = characteristic.points(x[f])
                            let lost = higherIsSafer ? characteristic.bestPoints - points : points - characteristic.bestPoints
                            (o + f).initialize(to: lost / factor)
                        }
                        (o + features).initialize(to: expected)
                    }
                }
                initialized = rows * width
            }
        }
    }

    public var facts: [ModelFact] {
        var facts: [ModelFact] = []
        if let library = sourceLibrary {
            facts.append(ModelFact("Library", sourceVersion.map { "\(library) \($0) (points scorecard)" } ?? "\(library) (points scorecard)"))
        }
        facts.append(ModelFact("Characteristics", String(characteristics.count)))
        facts.append(ModelFact("Base points", "\(basePoints)"))
        let direction = odds.higherIsSafer ? "higher is safer" : "higher is riskier"
        facts.append(ModelFact("Scale", "\(odds.score) points at \(odds.odds):1 good:bad odds; \(odds.pdo) points multiply the odds by \(odds.pdoMultiplier); \(direction)"))
        facts.append(ModelFact("Points", rounding == .none ? "unrounded" : "rounded (\(rounding.rawValue))"))
        facts.append(ModelFact("Reasons", "points lost against each characteristic's best bin"))
        return facts
    }
}
