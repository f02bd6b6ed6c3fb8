import LoanRiskCore
import LoanRiskStorage
import Scoring

/// Deprecated: the dictionary values of the pages not yet typed (upload page, batches list,
/// single-applicant form and result); typed pages use `PageBase` and `ModelSummary`. It goes
/// when those pages are typed. (`models` and `defaultModel` are read by no template.)
struct PageContext {
    let registry: ModelRegistry

    func base(_ context: AppRequestContext, title: String) -> [String: Any] {
        let models = registry.all.map { bundle -> [String: Any] in
            ["name": bundle.name, "title": bundle.title, "version": bundle.version,
             "isDefault": bundle.name == registry.defaultBundle.name]
        }
        return ["title": title, "csrf": context.csrfToken, "models": models, "defaultModel": registry.defaultBundle.name]
    }

    /// Describes a model for the upload page and model card.
    static func model(_ bundle: ModelBundle) -> [String: Any] {
        var values: [String: Any] = [
            "name": bundle.name, "title": bundle.title, "version": bundle.version,
            "featureCount": bundle.schema.features.count,
            "approveBelow": Formatting.percent(bundle.policy.approveBelow),
            "declineAtOrAbove": Formatting.percent(bundle.policy.declineAtOrAbove),
            "hasReview": bundle.policy.approveBelow < bundle.policy.declineAtOrAbove,
            "basePoints": Int(bundle.scaling.basePoints), "baseOdds": Int(bundle.scaling.baseOdds), "pdo": Int(bundle.scaling.pdo),
        ]
        if let manifest = bundle.manifest {
            values["description"] = manifest.description
            values["target"] = manifest.target.definition
        } else {
            values["description"] = "A LightGBM model supplied as a bare model.txt; its inputs were read from the model file."
        }
        return values
    }
}
