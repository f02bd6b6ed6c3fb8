import Foundation
import Scoring

/// The results page's reasons: each row's top reason, and the results-with-reasons download.
extension BatchController {
    /// The top reason of each scored row on the page, computed now (a page at most, on one
    /// thread: a few milliseconds with the bundled models, off the request threads), or the
    /// note shown instead.
    func topReasons(_ s: BatchSummary, rows: [StoredRow]) async throws -> (byRow: [Int: String], note: String?) {
        let explainer: StoredRowExplainer
        switch StoredRowExplainer.make(for: s, registry: registry) {
        case .success(let made): explainer = made
        case .failure(let unavailable): return ([:], unavailable.message)
        }
        let scored = rows.filter { $0.probability != nil }
        guard !scored.isEmpty else { return ([:], nil) }
        let features = try await store.features(batch: s.id, rows: scored.map(\.rowNumber))
        if features.isEmpty {
            return ([:], StoredRowExplainer.noFeaturesMessage)
        }
        let pairs = scored.compactMap { row in features[row.rowNumber].map { (row: row, features: $0) } }
        let result = await Detached.run { explainer.explain(pairs, options: ExplainOptions(reasons: 1), threads: 1) }
        var byRow: [Int: String] = [:]
        for (number, explanation) in result.explanations {
            byRow[number] = explanation.reasons.first?.text ?? "No value raised the risk above the base rate"
        }
        for number in result.mismatched { byRow[number] = "Withheld: the loaded model does not reproduce this row’s score" }
        return (byRow, nil)
    }

    /// The "download with reasons" part of the page: a button, progress, or the link.
    func downloadValues(_ s: BatchSummary) async throws -> [String: Any] {
        let status = try await ReasonsController.status(of: s, store: store, jobs: jobs, registry: registry)
        var values: [String: Any] = [
            "state": status.state.rawValue, "json": "/batches/\(s.id)/reasons.json", "start": "/batches/\(s.id)/reasons",
            "file": "/batches/\(s.id)/reasons.csv", "done": status.done, "total": max(status.total, 1), "percent": status.percent,
            "doneText": Formatting.count(status.done), "totalText": Formatting.count(status.total),
        ]
        values["message"] = status.message
        switch status.state {
        case .unavailable: values["isUnavailable"] = true
        case .none: values["canStart"] = true
        case .failed: values["canStart"] = true; values["isFailed"] = true
        case .queued, .running: values["isRunning"] = true
        case .ready:
            values["isReady"] = true
            if let info = status.info { values["created"] = Formatting.timestamp(info.createdAt) }
        }
        return values
    }
}
