import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// An analyst's decision on an applicant decided through the form whom the policy referred
/// for review: recorded as a batch row's is (`ReviewStore`, with its audit record), kept as
/// long as the audit log — after the form's own record goes with the uploads' retention.
struct ApplicantReviewController {
    let registry: ModelRegistry
    let store: ApplicantDecisionStore
    let reviews: ReviewStore

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("/applicants/:id/review") { request, context in try await review(request, context: context) }
    }

    private func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard BatchID.isWellFormed(id), let stored = try await store.find(id: id, team: context.team) else {
            throw HTTPError(.notFound, message: "There is no such decision: it was never made here, or it was deleted after the retention period.")
        }
        let form = try await FormBody.read(request, context: context)
        try CSRF.check(form["csrf"], context: context)
        guard stored.decision == Decision.review.rawValue else {
            throw HTTPError(.conflict, message: "This applicant was not referred for review (the policy decided ‘\(stored.decision)’); only review cases take an analyst's decision.")
        }
        let (decision, note) = try ReviewFormView.read(form, for: "this applicant")
        context.recordAccess(.review, .applicantDecision, stored.id)
        let now = Date()
        let bundle = await registry.bundle(named: stored.modelName, version: stored.modelVersion)
        try await reviews.record(
            ReviewDecision(
                channel: .form, requestID: stored.id, rowNumber: 1, applicantID: nil, referredAt: stored.createdAt,
                modelName: stored.modelName, modelVersion: stored.modelVersion, modelDecision: stored.decision,
                probability: stored.probability, score: stored.score, decision: decision, note: note, decidedAt: now,
                decidedBy: context.principal?.caller),
            // Beside the form decision's own record (its request id).
            audit: AuditRecord(
                at: now, requestID: stored.requestID, channel: .review, rowNumber: 1, applicantID: nil, modelName: stored.modelName,
                modelVersion: stored.modelVersion, modelSha256: bundle?.sha256 ?? "", probability: stored.probability, decision: decision,
                score: stored.score, reasonCodes: nil, caller: context.principal?.caller),
            team: context.team)
        context.logger.info("review decided", metadata: ["applicant": .string(stored.id), "decision": .string(decision)])
        if let queue = ReviewQueueScope(request) {
            let next = try await reviews.queue(team: context.team, model: queue.model, limit: 1).first
            return .redirect(to: next.map { queue.caseLink($0) } ?? queue.pageLink, type: .normal)
        }
        return .redirect(to: "/applicants/\(stored.id)#review", type: .normal)
    }
}
