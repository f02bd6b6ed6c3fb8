import Foundation
import LoanRiskCore
import Scoring

/// The results page's download with reasons (each row's top reason: BatchController+TopReasons).
extension BatchController {
    /// The "download with reasons" part of the page: a button, progress, or the link.
    func downloadView(_ s: BatchSummary) async throws -> BatchPage.Download {
        let status = try await ReasonsController.status(of: s, store: store, jobs: jobs, registry: registry)
        var view = BatchPage.Download(
            state: status.state.rawValue, json: "/batches/\(s.id)/reasons.json", start: "/batches/\(s.id)/reasons",
            file: "/batches/\(s.id)/reasons.csv", done: status.done, total: max(status.total, 1), percent: status.percent,
            doneText: Formatting.count(status.done), totalText: Formatting.count(status.total), message: status.message)
        switch status.state {
        case .unavailable: view.isUnavailable = true
        case .none: view.canStart = true
        case .failed: view.canStart = true; view.isFailed = true
        case .queued, .running: view.isRunning = true
        case .ready:
            view.isReady = true
            view.created = status.info.map { Formatting.timestamp($0.createdAt) }
        }
        return view
    }
}
