extension XGBoostModel: ScoringModel {
    public var kind: ModelKind { .xgboost }

    /// Features trained as pandas categories with 3.1+ `cats`: their labels in XGBoost's code
    /// order, so a bundle's labels map to the codes the trees were grown on.
    public var categoryLabels: [Int: [String]] { categories }

    /// Names and kinds from `feature_names` and `feature_types`: "c" is categorical (with its
    /// `cats` labels when saved by 3.1+, else integer codes as XGBoost reads them), "int"/"i"
    /// whole numbers, anything else ("float", "q") numeric.
    public var inferredFeatures: [FeatureSpec] {
        featureNames.enumerated().map { index, name in
            switch featureTypes[index] {
            case "c":
                if let labels = categories[index] {
                    return FeatureSpec(name: name, kind: .categorical, categories: labels)
                }
                return FeatureSpec(name: name, kind: .categorical, categories: splitCategories(of: index), integerCodes: true)
            case "int", "i":
                return FeatureSpec(name: name, kind: .integer)
            default:
                return FeatureSpec(name: name, kind: .numeric)
            }
        }
    }

    public var canExplain: Bool { true }

    /// Exact path-dependent TreeSHAP with the trees' `sum_hessian` as cover, as XGBoost's
    /// `predict(pred_contribs=True)`: `featureCount + 1` values a row, the last being the
    /// base margin plus the trees' expectations; each row sums to its margin (in double; the
    /// margin itself is summed in float32, so they agree to about 1e-6).
    public func contributions(_ matrix: FeatureMatrix, threads: Int = 1) throws(ExplanationError) -> [Double] {
        TreeContributions.compute(trees: trees, plans: contributionPlans, matrix: matrix, threads: threads, baseValue: Double(baseMargin))
    }

    public var facts: [ModelFact] {
        var facts = [
            ModelFact("Library", "XGBoost" + (version.map { " \($0)" } ?? "") + " (\(encoding) model)"),
            ModelFact("Booster", isDART ? "DART (weighted trees)" : "gbtree"),
            ModelFact("Trees", String(trees.count)),
            ModelFact("Objective", objective == "binary:logitraw"
                ? "binary:logitraw (the probability is XGBoost's sigmoid of the margin)" : "binary:logistic"),
            ModelFact("Base score", "\(baseScore) (margin \(baseMargin))"),
        ]
        if scoredRounds < rounds {
            facts.append(ModelFact("Rounds", "Scored at the best iteration, \(scoredRounds) of \(rounds) rounds, as XGBClassifier.predict_proba does"))
        } else {
            facts.append(ModelFact("Rounds", String(rounds)))
        }
        return facts
    }

    /// The category codes the trees split on for one feature (models saved before 3.1 keep no labels).
    private func splitCategories(of feature: Int) -> [String] {
        var codes = Set<Int>()
        for tree in trees {
            for (node, type) in tree.decisionTypes.enumerated() where type.isCategorical && tree.splitFeatures[node] == feature {
                let set = Int(tree.thresholds[node])
                for word in tree.catBoundaries[set]..<tree.catBoundaries[set + 1] {
                    let bits = tree.catThreshold[word]
                    for bit in 0..<32 where bits >> UInt32(bit) & 1 == 1 { codes.insert((word - tree.catBoundaries[set]) * 32 + bit) }
                }
            }
        }
        return codes.sorted().map(String.init)
    }
}
