import Foundation

extension BundleDraft {
    /// bundle.json's `reference`: every input's bins, the probability's and the score's, from
    /// the sample as LoanRisk read and scored it (`ReferenceBins`).
    static func reference(
        features: [FeatureSpec], sample: BundleDraftSample, probabilities: [Double], scaling: ScoreScaling, sampleLabel: String
    ) -> BundleDocument.Reference {
        var references: [String: BundleManifest.FeatureReference] = [:]
        for (feature, spec) in features.enumerated() {
            references[spec.name] = spec.kind == .categorical
                ? ReferenceBins.categorical(sample.values[feature], categories: spec.categories ?? [])
                : ReferenceBins.numeric(sample.values[feature], kind: spec.kind.rawValue)
        }
        var probabilityBins = ReferenceBins.numeric(probabilities)
        probabilityBins.missing = nil
        var scoreBins = ReferenceBins.numeric(probabilities.map { points($0, scaling) })
        scoreBins.missing = nil
        return BundleDocument.Reference(
            binning: "numeric: deciles of the sample's values (or one bin per value when there are at most 10); bin i holds edges[i] <= x < "
                + "edges[i+1], the last also x = edges[-1]; out-of-range values go to the first/last bin; proportions are shares of all rows, "
                + "so sum(proportions) + missing = 1 (less the share of labels the model does not know)",
            source: "features, probability and score: \(sampleLabel), read and scored by LoanRisk (not the model's training data)",
            features: references, probability: probabilityBins, score: scoreBins)
    }

    /// Unrounded points, as the pipeline bins the score.
    static func points(_ p: Double, _ scaling: ScoreScaling) -> Double {
        let q = min(max(p, 1e-12), 1 - 1e-12)
        return scaling.offset - scaling.factor * log(q / (1 - q))
    }
}
