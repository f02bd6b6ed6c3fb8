import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// One applicant of a batch: its result, its principal reasons and every contribution,
/// computed on demand from the row's stored features with the model that scored it.
struct BatchRowController {
    let registry: ModelRegistry
    let store: BatchStore
    let views: Views
    /// Where an analyst's decision on a review case is recorded with its audit record,
    /// committed before the answer; and the queue the next case comes from.
    let reviews: ReviewStore

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/batches/:id/rows/:row") { request, context in try await page(request, context: context) }
        router.post("/batches/:id/rows/:row/review") { request, context in try await review(request, context: context) }
    }

    private func found(_ s: BatchSummary, context: AppRequestContext) async throws -> (StoredRow, RowFeatures?) {
        let text = context.parameters.get("row") ?? ""
        guard let number = Int(text), number >= 1,
              let found = try await store.row(batch: s.id, number: number) else {
            let shown = String(text.prefix(20))
            throw HTTPError(.notFound, message: "There is no row ‘\(shown)’ in this batch: its rows are numbered 1 to \(Formatting.count(s.rowCount)), in file order.")
        }
        return found
    }

    /// An analyst decides a case the model referred: approve or decline, with a note. A credit
    /// decision, kept as long as the audit log whatever becomes of the batch (`ReviewStore`),
    /// shown on the row and in the download; the decision (not the note, which is free text)
    /// also goes to the audit log. Decided from the queue (`?queue=`), the answer opens the
    /// queue's next case.
    private func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await store.summary(for: context)
        let (row, _) = try await found(s, context: context)
        let form = try await FormBody.read(request, context: context)
        try CSRF.check(form["csrf"], context: context)
        guard row.decision == Decision.review.rawValue else {
            throw HTTPError(.conflict, message: "Row \(row.rowNumber) was not referred for review (the model decided ‘\(row.decision ?? "nothing")’); only review cases take an analyst's decision.")
        }
        let (decision, note) = try ReviewFormView.read(form, for: "row \(row.rowNumber)")
        context.recordAccess(.review, .row, "\(s.id)/\(row.rowNumber)")
        let now = Date()
        let bundle = await registry.bundle(named: s.modelName, version: s.modelVersion)
        try await reviews.record(
            ReviewDecision(
                channel: .batch, requestID: s.id, rowNumber: row.rowNumber, applicantID: row.applicantID, referredAt: s.createdAt,
                modelName: s.modelName, modelVersion: s.modelVersion, modelDecision: row.decision ?? Decision.review.rawValue,
                probability: row.probability, score: row.score, decision: decision, note: note, decidedAt: now,
                decidedBy: context.principal?.caller),
            audit: AuditRecord(
                at: now, requestID: s.id, channel: .review, rowNumber: row.rowNumber, applicantID: row.applicantID, modelName: s.modelName,
                modelVersion: s.modelVersion, modelSha256: bundle?.sha256 ?? "", probability: row.probability, decision: decision,
                score: row.score, reasonCodes: nil, caller: context.principal?.caller),
            team: context.team)
        context.logger.info("review decided", metadata: ["batch": .string(s.id), "row": .stringConvertible(row.rowNumber), "decision": .string(decision)])
        if let queue = ReviewQueueScope(request) {
            // The oldest case still waiting in the same queue, or the queue itself once it is empty.
            let next = try await reviews.queue(team: context.team, model: queue.model, limit: 1).first
            return .redirect(to: next.map { queue.caseLink($0) } ?? queue.pageLink, type: .normal)
        }
        // Back to the row in the view it was opened from (the form's action carries that view).
        let view = RowQuery(request, batch: s).parameters { $0.page = 1 }
        return .redirect(to: "/batches/\(s.id)/rows/\(row.rowNumber)" + (view.isEmpty ? "" : Formatting.query(view)) + "#review", type: .normal)
    }

    private func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await store.summary(for: context)
        let (row, features) = try await found(s, context: context)
        let number = row.rowNumber
        context.recordAccess(.read, .row, "\(s.id)/\(number)")
        // The row's issues in the bundle's words: each input by its phrase with its column once,
        // values in its unit (the download's status column keeps the raw names programs read).
        let issues = features?.issues ?? []
        let schema = issues.isEmpty ? nil : await registry.bundle(named: s.modelName, version: s.modelVersion)?.schema
        let status = schema.map { RowOutcome(probability: nil, decision: nil, score: nil, issues: issues).status(in: $0) } ?? row.status
        // The status groups many out-of-range or unseen values in one line; every sentence is here.
        let warnings = issues.count > 1 ? issues.map { issue in schema.map { issue.message(in: $0) } ?? issue.message } : nil
        // Before and after follow the view the row was opened from (its sort and filters);
        // without one, file order.
        let query = RowQuery(request, batch: s)
        let view = query.parameters { $0.page = 1 }
        let suffix = view.isEmpty ? "" : Formatting.query(view)
        var review: BatchRowPage.Review?
        if row.decision == Decision.review.rawValue {
            review = try await ReviewFormView.make(
                action: "/batches/\(s.id)/rows/\(number)/review" + suffix, request: request,
                decided: try await reviews.decisions(batch: s.id)[number], reviews: reviews, team: context.team)
        }
        var previous: String?, next: String?, position: String?
        if view.isEmpty {
            // Over rows an erasure took out.
            let around = try await store.neighbours(batch: s.id, of: number)
            previous = around.previous.map { "/batches/\(s.id)/rows/\($0)" }
            next = around.next.map { "/batches/\(s.id)/rows/\($0)" }
        } else {
            let order = try await store.rowNumbers(batch: s.id, query: query)
            if let at = order.firstIndex(of: number) {
                if at > 0 { previous = "/batches/\(s.id)/rows/\(order[at - 1])" + suffix }
                if at + 1 < order.count { next = "/batches/\(s.id)/rows/\(order[at + 1])" + suffix }
                position = "\(Formatting.count(at + 1)) of \(Formatting.count(order.count)) in this view"
            }
        }
        let explanation: ExplanationView?, reasonsNote: String?
        switch await explain(s, row: row, features: features) {
        case .success(let shown): (explanation, reasonsNote) = (shown, nil)
        case .failure(let missing): (explanation, reasonsNote) = (nil, missing.message)
        }
        return views.page(BatchRowPage(
            base: PageBase(context, title: "Row \(number) · \(s.fileName)"),
            batch: BatchRowPage.Heading(id: s.id, fileName: s.fileName, model: s.modelName, modelVersion: s.modelVersion),
            row: BatchRowPage.Row(
                number: row.rowNumber, id: row.applicantID ?? "", hasID: row.applicantID != nil, idColumn: s.idColumn ?? "id",
                probability: Formatting.percent(row.probability), decision: row.decision ?? "invalid",
                score: row.score.map(String.init) ?? "—", state: row.state, status: status, isOK: row.status == "ok"),
            warnings: warnings, hasWarnings: warnings != nil, review: review,
            previous: previous, next: next, position: position, back: "/batches/\(s.id)" + suffix,
            explanation: explanation, reasonsNote: reasonsNote))
    }

    /// Why a row's page shows no reasons.
    private struct ReasonsMissing: Error {
        let message: String
    }

    /// The row's reasons and every contribution, from its stored features with the model that scored it.
    private func explain(_ s: BatchSummary, row: StoredRow, features: RowFeatures?) async -> Result<ExplanationView, ReasonsMissing> {
        guard let probability = row.probability else {
            return .failure(ReasonsMissing(message: "This row could not be scored, so it has no reasons. Its status says what to correct."))
        }
        let explainer: StoredRowExplainer
        switch await StoredRowExplainer.make(for: s, registry: registry) {
        case .success(let made): explainer = made
        case .failure(let unavailable): return .failure(ReasonsMissing(message: unavailable.message))
        }
        guard let features else { return .failure(ReasonsMissing(message: StoredRowExplainer.noFeaturesMessage)) }
        let options = ExplainOptions(reasons: ExplainOptions.defaultReasonCount, contributions: true)
        let result = await Detached.run { explainer.explain([(row, features)], options: options, threads: 1) }
        guard let explanation = result.explanations[row.rowNumber] else { return .failure(ReasonsMissing(message: StoredRowExplainer.mismatchMessage)) }
        return .success(ExplanationView(
            explanation: explanation, features: features.values, issues: features.issues, probability: probability, scorer: explainer.scorer))
    }
}
