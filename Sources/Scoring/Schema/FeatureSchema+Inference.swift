extension FeatureSchema {
    /// The schema of a bare `model.txt`, read from its `feature_names`, `feature_infos`
    /// and `pandas_categorical`: what a user gets when bringing their own model.
    public init(inferredFrom model: LightGBMModel) {
        var labelsByFeature: [Int: [String]] = [:]
        if let pandas = model.pandasCategorical {
            for (feature, labels) in zip(model.categoricalFeatures, pandas) {
                labelsByFeature[feature] = labels.map(\.description)
            }
        }
        let categorical = Set(model.categoricalFeatures)
        var features: [FeatureSpec] = []
        for (index, name) in model.featureNames.enumerated() {
            let info = model.featureInfos[index]
            if categorical.contains(index) {
                if let labels = labelsByFeature[index] {
                    features.append(FeatureSpec(name: name, kind: .categorical, categories: labels))
                } else {
                    features.append(FeatureSpec(name: name, kind: .categorical, categories: Self.codes(in: info), integerCodes: true))
                }
            } else {
                let range = Self.range(in: info)
                features.append(FeatureSpec(name: name, kind: .numeric, minimum: range?.0, maximum: range?.1))
            }
        }
        self.init(features: features)
    }

    /// `[min:max]` → (min, max).
    private static func range(in info: String) -> (Double, Double)? {
        guard info.hasPrefix("["), info.hasSuffix("]") else { return nil }
        let parts = info.dropFirst().dropLast().split(separator: ":")
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]) else { return nil }
        return (low, high)
    }

    /// `3:0:12` → the non-negative codes, ascending (LightGBM lists −1 for missing).
    private static func codes(in info: String) -> [String] {
        info.split(separator: ":").compactMap { Int($0) }.filter { $0 >= 0 }.sorted().map(String.init)
    }
}
