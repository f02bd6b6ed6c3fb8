import Hummingbird
import LoanRiskCore

extension BatchStore {
    /// The batch a page's route names by `:id`, or a 404 that says what may have happened.
    /// Every batch page and its downloads look their batch up here, and only the caller's
    /// team's batches are found.
    func summary(for context: AppRequestContext) async throws -> BatchSummary {
        // Another team's batch is answered exactly as a missing one: its existence does not leak.
        guard let id = context.parameters.get("id"), BatchID.isWellFormed(id), let summary = try await summary(id: id), summary.teamID == context.team else {
            throw HTTPError(.notFound, message: "There is no such batch. It may have been deleted, or removed after the retention period.")
        }
        return summary
    }
}
