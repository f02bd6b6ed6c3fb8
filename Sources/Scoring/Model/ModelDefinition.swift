/// Everything read from a LightGBM text model, validated, before it is laid out for speed.
struct ModelDefinition: Sendable {
    let version: String
    let featureNames: [String]
    let featureInfos: [String]
    let sigmoid: Double
    let averageOutput: Bool
    let trees: [Tree]
    /// Indices of categorical features, ascending.
    let categoricalFeatures: [Int]
    /// Labels of each categorical feature (in `categoricalFeatures` order), when trained from pandas.
    let pandasCategorical: [[PandasCategory]]?
}
