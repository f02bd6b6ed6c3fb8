import Hummingbird
import LoanRiskCore

extension BatchStore {
    /// The batch a page's route names by `:id`, or a 404 that says what may have happened.
    /// Every batch page and its downloads look their batch up here.
    func summary(for context: AppRequestContext) async throws -> BatchSummary {
        guard let id = context.parameters.get("id"), BatchID.isWellFormed(id), let summary = try await summary(id: id) else {
            throw HTTPError(.notFound, message: "There is no such batch. It may have been deleted, or removed after the retention period.")
        }
        return summary
    }
}
