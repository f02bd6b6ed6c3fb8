import LoanRiskCore
import Scoring

/// A model as the API describes it: name, version, inputs, policy, score scale, and the
/// model's own features (inputs plus derived ones), the order of its contributions.
struct ModelDescription: Encodable {
    let name: String
    let version: String
    let title: String
    /// The library the model comes from: lightgbm, xgboost, sklearn or scorecard.
    let kind: ModelKind
    let features: [FeatureSpec]
    /// The model's feature names: the keys of `?contributions=true` and the columns of the
    /// Open Inference Protocol `contributions` output, in that order.
    let modelFeatures: [String]
    let idColumn: String?
    let policy: DecisionPolicy
    let scoreScaling: ScoreScaling

    init(_ bundle: ModelBundle) {
        name = bundle.name
        version = bundle.version
        title = bundle.title
        kind = bundle.model.kind
        features = bundle.schema.features
        modelFeatures = bundle.model.featureNames
        idColumn = bundle.schema.idColumn
        policy = bundle.policy
        scoreScaling = bundle.scaling
    }

    enum CodingKeys: String, CodingKey {
        case name, version, title, kind, features, modelFeatures = "model_features", idColumn = "id_column", policy, scoreScaling = "score_scaling"
    }
}
