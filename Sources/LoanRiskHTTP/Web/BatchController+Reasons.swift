import Foundation
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// The results page's download with reasons (each row's top reason: BatchController+TopReasons).
extension BatchController {
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
