import Foundation
import Hummingbird
import Scoring

/// One applicant of a batch: its result, its principal reasons and every contribution,
/// computed on demand from the row's stored features with the model that scored it.
struct BatchRowController {
    let registry: ModelRegistry
    let store: BatchStore
    let views: Views

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/batches/:id/rows/:row") { _, context in try await page(context: context) }
    }

    private func page(context: AppRequestContext) async throws -> Response {
        let s = try await store.summary(for: context)
        let text = context.parameters.get("row") ?? ""
        guard let number = Int(text), number >= 1, number <= s.rowCount,
              let found = try await store.row(batch: s.id, number: number) else {
            let shown = String(text.prefix(20))
            throw HTTPError(.notFound, message: "There is no row ‘\(shown)’ in this batch: its rows are numbered 1 to \(Formatting.count(s.rowCount)), in file order.")
        }
        let (row, features) = found
        var values = PageContext(registry: registry).base(context, title: "Row \(number) · \(s.fileName)")
        values["batch"] = ["id": s.id, "fileName": s.fileName, "model": s.modelName, "modelVersion": s.modelVersion]
        values["row"] = [
            "number": row.rowNumber, "id": row.applicantID ?? "", "hasID": row.applicantID != nil, "idColumn": s.idColumn ?? "id",
            "probability": Formatting.percent(row.probability), "decision": row.decision ?? "invalid",
            "score": row.score.map(String.init) ?? "—", "state": row.state, "status": row.status,
            "isOK": row.status == "ok",
        ] as [String: Any]
        // The status groups many out-of-range or unseen values in one line; every sentence is here.
        if let issues = features?.issues, issues.count > 1 {
            values["warnings"] = issues.map(\.message)
            values["hasWarnings"] = true
        }
        if number > 1 { values["previous"] = "/batches/\(s.id)/rows/\(number - 1)" }
        if number < s.rowCount { values["next"] = "/batches/\(s.id)/rows/\(number + 1)" }
        values["back"] = "/batches/\(s.id)"
        if let probability = row.probability {
            await explain(s, row: row, features: features, probability: probability, into: &values)
        } else {
            values["reasonsNote"] = "This row could not be scored, so it has no reasons. Its status says what to correct."
        }
        return views.page("batch_row", values)
    }

    private func explain(_ s: BatchSummary, row: StoredRow, features: RowFeatures?, probability: Double, into values: inout [String: Any]) async {
        let explainer: StoredRowExplainer
        switch await StoredRowExplainer.make(for: s, registry: registry) {
        case .success(let made): explainer = made
        case .failure(let unavailable):
            values["reasonsNote"] = unavailable.message
            return
        }
        guard let features else {
            values["reasonsNote"] = StoredRowExplainer.noFeaturesMessage
            return
        }
        let options = ExplainOptions(reasons: ExplainOptions.defaultReasonCount, contributions: true)
        let result = await Detached.run { explainer.explain([(row, features)], options: options, threads: 1) }
        guard let explanation = result.explanations[row.rowNumber] else {
            values["reasonsNote"] = StoredRowExplainer.mismatchMessage
            return
        }
        values["explanation"] = ExplanationView.values(
            explanation: explanation, features: features.values, issues: features.issues, probability: probability, scorer: explainer.scorer)
    }
}
