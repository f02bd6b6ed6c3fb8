import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// `/review`: the review queue — every case a model referred that no analyst has decided,
/// across stored batches, oldest first, filtered by model, with counts per model; each case
/// opens with the queue in its address, so deciding it opens the next. Below, the decisions
/// made lately, readable after their batch is gone.
struct ReviewController {
    let registry: ModelRegistry
    let reviews: ReviewStore
    let batches: BatchStore
    let applicants: ApplicantDecisionStore
    let views: Views

    static let pageSize = 50

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/review") { request, context in try await page(request, context: context) }
    }

    private func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.queryValues
        let waiting = try await reviews.waiting(team: context.team)
        // Only a model with cases, or one served, is a filter; anything else shows every model's.
        let model = parameters["model"].flatMap { $0.isEmpty ? nil : $0 }.flatMap { name in
            waiting[name] != nil || registry.bundle(named: name) != nil ? name : nil
        }
        let scope = ReviewQueueScope(model: model)
        let total = model.map { waiting[$0, default: 0] } ?? waiting.values.reduce(0, +)
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let pageNumber = min(max(1, parameters["page"].flatMap { Int($0) } ?? 1), pageCount)
        let cases = try await reviews.queue(team: context.team, model: model, limit: Self.pageSize, offset: (pageNumber - 1) * Self.pageSize)
        let decided = try await reviews.recent(team: context.team, model: model)
        // Where each decided case can still be opened: its batch row or form decision, while stored.
        var stored: [String: String] = [:]
        for d in decided where stored[d.requestID] == nil {
            switch d.channel {
            case .batch: if let s = try await batches.summary(id: d.requestID), s.teamID == context.team { stored[d.requestID] = "/batches/\(d.requestID)/rows/" }
            case .form: if try await applicants.find(id: d.requestID, team: context.team) != nil { stored[d.requestID] = "/applicants/\(d.requestID)" }
            }
        }
        let names = Set(waiting.keys).union(registry.all.map(\.name)).sorted()
        func link(page: Int) -> String {
            Formatting.query((model.map { [("model", $0)] } ?? []) + (page > 1 ? [("page", String(page))] : []))
        }
        let first = (pageNumber - 1) * Self.pageSize + 1
        let oldest = pageNumber == 1 ? cases.first : try await reviews.queue(team: context.team, model: model, limit: 1).first
        var shown: [ReviewQueuePage.Case] = []
        for c in cases {
            shown.append(ReviewQueuePage.Case(
                referred: Formatting.timestamp(c.referredAt), applicant: Self.name(c.applicantID, channel: c.channel, row: c.rowNumber),
                link: scope.caseLink(c), model: "\(c.modelName) \(c.modelVersion)", probability: Formatting.percent(c.probability),
                reason: await reason(c), fileName: c.channel == .form ? "the applicant form" : c.fileName))
        }
        return views.page(ReviewQueuePage(
            base: PageBase(context, title: "Review queue"),
            summary: (total == 1 ? "1 case waits" : "\(Formatting.count(total)) cases wait") + " for an analyst's decision" + (model.map { " (\($0))" } ?? ""),
            models: [ReviewQueuePage.Choice(value: "", label: "Every model (\(Formatting.count(waiting.values.reduce(0, +))))", selected: model == nil)]
                + names.map { ReviewQueuePage.Choice(value: $0, label: "\($0) (\(Formatting.count(waiting[$0, default: 0])))", selected: $0 == model) },
            isFiltered: model != nil,
            first: oldest.map(scope.caseLink), cases: shown,
            hasCases: !cases.isEmpty,
            range: cases.isEmpty ? "" : "Cases \(Formatting.count(first))–\(Formatting.count(first + cases.count - 1)) of \(Formatting.count(total))",
            previous: pageNumber > 1 ? link(page: pageNumber - 1) : nil,
            next: pageNumber < pageCount ? link(page: pageNumber + 1) : nil,
            decided: decided.map { d in
                ReviewQueuePage.Decided(
                    at: Formatting.timestamp(d.decidedAt), applicant: Self.name(d.applicantID, channel: d.channel, row: d.rowNumber),
                    link: stored[d.requestID].map { d.channel == .batch ? $0 + String(d.rowNumber) : $0 },
                    model: "\(d.modelName) \(d.modelVersion)", probability: Formatting.percent(d.probability), modelDecision: d.modelDecision,
                    decision: d.decision, note: d.note.isEmpty ? nil : d.note)
            },
            hasDecided: !decided.isEmpty))
    }

    /// A case's applicant: the file's id, else where it is (`row 12`, `form decision`).
    static func name(_ id: String?, channel: ReviewDecision.Channel, row: Int) -> String {
        if let id, !id.isEmpty { return id }
        return channel == .form ? "form decision" : "row \(row)"
    }

    /// Why the policy referred a case: its probability between the cut-offs, or (below the
    /// approve cut-off) what held it — the row's warnings.
    private func reason(_ c: ReviewCase) async -> String {
        let warnings = c.status.hasPrefix("warning: ") ? String(c.status.dropFirst("warning: ".count)) : nil
        guard let probability = c.probability, let policy = await registry.bundle(named: c.modelName, version: c.modelVersion)?.policy else {
            return warnings ?? "Referred by the policy."
        }
        if probability >= policy.approveBelow, probability < policy.declineAtOrAbove {
            return "Between the cut-offs: approve below \(Formatting.percent(policy.approveBelow)), decline from \(Formatting.percent(policy.declineAtOrAbove))."
        }
        return warnings ?? "Held for review by the policy."
    }
}
