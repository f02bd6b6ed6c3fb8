/// Why a model's contributions cannot be computed.
public struct ExplanationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
}

extension LightGBMModel {
    /// Exact TreeSHAP contributions for every row, as LightGBM's `pred_contrib` gives them:
    /// `featureCount + 1` values a row (feature order, then the expected value), in raw score
    /// units, each row summing to its raw score (before random-forest averaging, as LightGBM).
    /// Computed by Linear TreeSHAP (see `LinearTreeSHAPPlan`); linear-leaf models are refused,
    /// as LightGBM refuses them.
    public func contributions(_ matrix: FeatureMatrix, threads: Int = 1) throws(ExplanationError) -> [Double] {
        guard !hasLinearLeaves else {
            throw ExplanationError(description: "Contributions are not defined for linear-leaf models (LightGBM refuses them too).")
        }
        return TreeContributions.compute(trees: trees, plans: contributionPlans, matrix: matrix, threads: threads)
    }
}
