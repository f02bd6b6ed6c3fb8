extension SklearnModel: ScoringModel {
    public var kind: ModelKind { .sklearn }

    /// Every supported estimator can be explained (TreeSHAP or linear contributions).
    public var canExplain: Bool { true }

    /// Names, and for categorical inputs their encoder's categories; numeric ranges are not
    /// recorded by scikit-learn.
    public var inferredFeatures: [FeatureSpec] {
        featureNames.enumerated().map { index, name in
            if let labels = categoryLabels[index] { return FeatureSpec(name: name, kind: .categorical, categories: labels) }
            return FeatureSpec(name: name, kind: .numeric)
        }
    }

    /// The estimator's class name.
    public var estimatorName: String { steps.last ?? "estimator" }

    public var facts: [ModelFact] {
        var facts = [ModelFact("Library", "scikit-learn" + (sklearnVersion.map { " \($0)" } ?? "") + " (LoanRisk JSON export)")]
        facts.append(ModelFact("Pipeline", steps.joined(separator: " → ")))
        if let positiveClass { facts.append(ModelFact("Probability of", "class \(positiveClass) (classes_[1])")) }
        switch estimator {
        case .trees(let trees):
            facts.append(ModelFact("Trees", String(trees.trees.count)))
            facts.append(ModelFact(
                "Output", trees.output == .probability ? "mean of the trees' class fractions" : "log-odds (baseline + trees), sigmoid"))
        case .linear(let linear):
            facts.append(ModelFact("Columns", String(linear.coefficients.count)))
            facts.append(ModelFact("Output", "log-odds (coefficients · columns + intercept), sigmoid"))
        }
        return facts
    }
}
