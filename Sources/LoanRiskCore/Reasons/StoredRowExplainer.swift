import Foundation
import Scoring

/// Explains stored rows with the model that scored them, never another: the batch names its
/// model and version, and each row's stored features must still give its stored probability
/// (a model file swapped under the same name and version would not), or no reasons are given.
package struct StoredRowExplainer: Sendable {
    package let scorer: BatchScorer

    /// Why a batch's rows cannot be explained; `message` is what its pages say instead.
    package enum Unavailable: Error, Sendable, Equatable {
        case linearTrees
        case modelNotLoaded(name: String, version: String, loadedVersion: String?)

        package var message: String {
            switch self {
            case .linearTrees:
                return "Reasons are not available for this model (linear-leaf trees)."
            case .modelNotLoaded(let name, let version, let loaded?):
                return "Reasons are not available: this batch was scored with \(name) \(version), which the registry no longer holds, and \(name) is now \(loaded). "
                    + "Reasons must come from the model that made the decision; upload the file again to score and explain it with \(loaded)."
            case .modelNotLoaded(let name, let version, nil):
                return "Reasons are not available: this batch was scored with \(name) \(version), which the registry no longer holds. "
                    + "Reasons must come from the model that made the decision."
            }
        }
    }

    /// What explaining some rows gave.
    package struct Result: Sendable {
        /// By row number; rows that were not scored, or have no stored features, are absent.
        package var explanations: [Int: Explanation] = [:]
        /// Rows whose stored features no longer give their stored probability with this model.
        package var mismatched: Set<Int> = []
    }

    /// The note shown for rows in `Result.mismatched`.
    package static let mismatchMessage =
        "Reasons are withheld: the loaded model does not reproduce this row's stored probability, so it is not the model that scored it."

    /// The note for batches stored before rows kept their features (schema migration "v2").
    package static let noFeaturesMessage =
        "Reasons are not available for this batch: it was scored before reasons were kept with each row. Upload the file again to get them."

    /// The explainer for `summary`'s exact model version — serving or not, as long as the
    /// registry still holds it — or why there is none.
    package static func make(for summary: BatchSummary, registry: ModelRegistry) async -> Swift.Result<StoredRowExplainer, Unavailable> {
        guard let bundle = await registry.bundle(named: summary.modelName, version: summary.modelVersion) else {
            return .failure(.modelNotLoaded(
                name: summary.modelName, version: summary.modelVersion, loadedVersion: registry.bundle(named: summary.modelName)?.version))
        }
        let scorer = BatchScorer(bundle: bundle)
        guard scorer.canExplain else { return .failure(.linearTrees) }
        return .success(StoredRowExplainer(scorer: scorer))
    }

    /// Explains `rows` (each stored row with its stored features) on `threads` workers; rows
    /// that were not scored are skipped.
    package func explain(_ rows: [(row: StoredRow, features: RowFeatures)], options: ExplainOptions, threads: Int) -> Result {
        let model = scorer.model
        var result = Result()
        var matrix = FeatureMatrix(featureCount: model.featureCount)
        matrix.reserveRows(rows.count)
        var kept: [(row: StoredRow, features: RowFeatures)] = []
        // Rows that were not scored have no reasons (and no probability to check).
        for entry in rows where entry.row.probability != nil {
            guard entry.features.values.count == model.featureCount else {
                result.mismatched.insert(entry.row.rowNumber)
                continue
            }
            matrix.appendRow(entry.features.values)
            kept.append(entry)
        }
        guard !kept.isEmpty else { return result }
        // The same evaluator on the same features gives the same bits; a tolerance only
        // absorbs nothing but rounding, far below any difference another model would make.
        let probabilities = model.probabilities(matrix, threads: threads)
        let explanations = scorer.explain(matrix, issues: kept.map(\.features.issues), options: options, threads: threads)
        for (index, entry) in kept.enumerated() {
            guard let stored = entry.row.probability, abs(stored - probabilities[index]) <= 1e-12 else {
                result.mismatched.insert(entry.row.rowNumber)
                continue
            }
            if let explanation = explanations[index] { result.explanations[entry.row.rowNumber] = explanation }
        }
        return result
    }
}
