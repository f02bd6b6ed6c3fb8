/// Why a model's contributions cannot be computed.
public struct ExplanationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
}

extension LightGBMModel {
    /// Exact TreeSHAP contributions for every row, as LightGBM's `pred_contrib` gives them:
    /// `featureCount + 1` values a row (feature order, then the expected value), in raw score
    /// units, each row summing to its raw score (before random-forest averaging, as LightGBM).
    /// Linear-leaf models are refused, as LightGBM refuses them.
    public func contributions(_ matrix: FeatureMatrix, threads: Int = 1) throws(ExplanationError) -> [Double] {
        guard !trees.contains(where: \.isLinear) else {
            throw ExplanationError(description: "Contributions are not defined for linear-leaf models (LightGBM refuses them too).")
        }
        let width = featureCount + 1
        let rows = matrix.rowCount
        let trees = self.trees
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
                guard let inputBase = values.baseAddress, let outputBase = output.baseAddress else { return }
                outputBase.initialize(repeating: 0, count: rows * width)
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outputBase)
                ParallelRows.run(rowCount: rows, threads: threads) { range in
                    let explainers = trees.map(TreeSHAP.init)
                    for row in range {
                        for explainer in explainers {
                            explainer.accumulate(row: input.base + row * (width - 1), into: out.base + row * width, featureCount: width - 1)
                        }
                    }
                }
                initialized = rows * width
            }
        }
    }
}
