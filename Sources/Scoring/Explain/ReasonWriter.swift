/// Turns a row's contributions into its principal reasons: the features with the largest
/// positive contributions to the risk, phrased with the bundle's words, the applicant's own
/// value and, for numbers, where it stands among past borrowers (bundle.json's reference
/// bins). Built once per bundle, since working out each feature's wording reads the whole
/// bundle; a bare model gets the feature names as phrases and plain numbers.
public struct ReasonWriter: Sendable {
    /// Contributions below this many log-odds are not principal reasons unless bundle.json's
    /// `policy.reason_floor` says otherwise: a feature that moved the risk by less than 2 %
    /// of its odds did not decide anything, and an adverse-action notice should not name it.
    public static let defaultFloor = 0.02

    let features: [ReasonFeature]
    /// The smallest contribution (log-odds) that makes a principal reason.
    public let floor: Double

    /// Built by `ModelBundle` when it loads (`ModelBundle.reasonWriter`).
    init(model: any ScoringModel, schema: FeatureSchema, manifest: BundleManifest?) {
        features = ReasonFeature.all(model: model, schema: schema, manifest: manifest)
        floor = manifest?.policy.reasonFloor ?? Self.defaultFloor
    }

    /// The top `limit` reasons for one row: `contributions` has one value per model feature
    /// (more are ignored), `features` the row's model feature values (NaN when missing) and
    /// `issues` the row's field issues (to tell an unseen category from a missing value).
    /// Only contributions of at least `floor` are reasons, largest first; ties keep model
    /// feature order. A value on the side the model's monotone constraint calls safer is not
    /// a reason (`ReasonFeature.contradictsDirection`). Two features may come from one
    /// column, but a sentence is never given twice: a feature whose sentence was already
    /// given is passed over for the next one.
    public func reasons(
        contributions: some Collection<Double>, features: some Collection<Double>, issues: [FieldIssue], limit: Int
    ) -> [Reason] {
        guard limit > 0 else { return [] }
        let phi = Array(contributions.prefix(self.features.count))
        let row = Array(features)
        let floor = max(self.floor, .leastNonzeroMagnitude)
        let ranked = phi.indices.filter { phi[$0] >= floor }.sorted { phi[$0] > phi[$1] || (phi[$0] == phi[$1] && $0 < $1) }
        var reasons: [Reason] = []
        reasons.reserveCapacity(limit)
        for index in ranked {
            let value = row.indices.contains(index) ? row[index] : .nan
            guard !self.features[index].contradictsDirection(value: value) else { continue }
            let reason = self.features[index].reason(value: value, contribution: phi[index], row: row, issues: issues)
            // At most ten reasons: comparing with each is cheaper than hashing every sentence.
            guard !reasons.contains(where: { $0.text == reason.text }) else { continue }
            reasons.append(reason)
            if reasons.count == limit { break }
        }
        return reasons
    }

    /// Every model feature for one row, in model order, worded as the reasons word them
    /// (phrase, the applicant's value as shown, and whether it was given, missing or unseen):
    /// for charts and tables of all contributions. Only `reasons` says which features are
    /// reasons; the `text` of a feature that lowered the risk is not one.
    public func describe(contributions: some Collection<Double>, features: some Collection<Double>, issues: [FieldIssue]) -> [Reason] {
        let phi = Array(contributions.prefix(self.features.count))
        let row = Array(features)
        return self.features.indices.map { index in
            let value = row.indices.contains(index) ? row[index] : .nan
            return self.features[index].reason(value: value, contribution: phi.indices.contains(index) ? phi[index] : 0, row: row, issues: issues)
        }
    }
}
