/// The inputs a model expects, in the model's feature order, plus an optional id column
/// that is passed through to results but never used as a feature.
public struct FeatureSchema: Codable, Sendable, Equatable {
    public var features: [FeatureSpec]
    public var idColumn: String?

    public init(features: [FeatureSpec], idColumn: String? = nil) {
        self.features = features
        self.idColumn = idColumn
    }

    /// The columns a CSV must have, in schema order.
    public var requiredColumns: [String] { features.map(\.name) }
}
