import LoanRiskCore
import Scoring

/// A model as the pages introduce it (model card, models list, challenger page, upload page
/// and single-applicant form): what it predicts, its inputs' count, its decision policy and
/// score scale.
struct ModelSummary: Sendable, MustacheValues {
    let name: String
    let title: String
    let version: String
    let featureCount: Int
    let approveBelow: String
    let declineAtOrAbove: String
    /// The policy has a review band (approve below one cut-off, decline from a higher one).
    let hasReview: Bool
    let basePoints: Int
    let baseOdds: Int
    let pdo: Int
    let description: String
    /// What "default" means in the training data; nil for a bare model.txt.
    let target: String?
    /// The inputs an automatic approval needs, by phrase ("Interest rate, Loan sub-grade");
    /// nil when the bundle names none.
    let keyInputs: String?
    /// Fewer usable inputs than this and an applicant is not scored.
    let minimumInputs: Int

    init(_ bundle: ModelBundle) {
        name = bundle.name
        title = bundle.title
        version = bundle.version
        featureCount = bundle.schema.features.count
        approveBelow = Formatting.percent(bundle.policy.approveBelow)
        declineAtOrAbove = Formatting.percent(bundle.policy.declineAtOrAbove)
        hasReview = bundle.policy.approveBelow < bundle.policy.declineAtOrAbove
        basePoints = Int(bundle.scaling.basePoints)
        baseOdds = Int(bundle.scaling.baseOdds)
        pdo = Int(bundle.scaling.pdo)
        description = bundle.manifest?.description ?? "A LightGBM model supplied as a bare model.txt; its inputs were read from the model file."
        target = bundle.manifest?.target.definition
        let specs = bundle.schema.features
        let keys = bundle.completeness.keyInputs.map { specs[$0].phrase ?? specs[$0].name }
        keyInputs = keys.isEmpty ? nil : keys.joined(separator: ", ")
        minimumInputs = bundle.completeness.minimumProvided
    }
}
