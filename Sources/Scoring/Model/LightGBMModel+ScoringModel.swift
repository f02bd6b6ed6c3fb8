extension LightGBMModel: ScoringModel {
    public var kind: ModelKind { .lightgbm }

    /// Only features trained from pandas categories have labels; integer-coded ones do not.
    public var categoryLabels: [Int: [String]] {
        guard let pandas = pandasCategorical else { return [:] }
        var labels: [Int: [String]] = [:]
        for (feature, values) in zip(categoricalFeatures, pandas) { labels[feature] = values.map(\.description) }
        return labels
    }

    public var inferredFeatures: [FeatureSpec] { FeatureSchema(inferredFrom: self).features }

    /// Linear-leaf models have no contributions (LightGBM refuses them too).
    public var canExplain: Bool { !hasLinearLeaves }

    public var facts: [ModelFact] {
        var facts = [
            ModelFact("Library", "LightGBM (text model \(formatVersion))"),
            ModelFact("Trees", String(trees.count)),
            ModelFact("Objective", averageOutput ? "binary, random-forest mode (mean of the trees)" : "binary (sigmoid \(sigmoid))"),
        ]
        if hasLinearLeaves { facts.append(ModelFact("Leaves", "linear: scored, not explained")) }
        return facts
    }
}
