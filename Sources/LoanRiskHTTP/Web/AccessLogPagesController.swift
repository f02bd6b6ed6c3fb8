import Foundation
import Hummingbird
import LoanRiskCore

/// The admin pages of the access log and of applicants' rights (`addAdminPages(to:)`, mounted
/// on a group only admins reach):
/// - `GET /admin/access-log`: the latest events, filtered by caller, action and dates, with
///   CSV and NDJSON downloads of the same filter (`/admin/access-log/export`).
/// - `GET /admin/applicants`: the access-export and erasure forms; they POST the id
///   (`/admin/applicants/export`, `/admin/applicants/erase`), so it never appears in an address
///   the browser keeps.
struct AccessLogPagesController {
    let log: AccessLog
    let erasure: ApplicantErasure
    let views: Views
    let retentionDays: Int
    /// Events the page lists at most.
    var shown = 200

    func addAdminPages(to pages: some RouterMethods<AppRequestContext>) {
        pages.get("/admin/access-log") { request, context in try await page(request, context: context) }
        pages.get("/admin/access-log/export") { request, context in
            let (filter, format) = try Self.filter(request)
            context.recordAccess(.export, .accessLog, nil)
            return AccessLogExport.response(log: log, filter: filter, format: format ?? .csv, fileName: "access-log")
        }
        pages.get("/admin/applicants") { _, context in rights(context: context, problem: nil, report: nil) }
        pages.post("/admin/applicants/erase") { request, context in try await erase(request, context: context) }
        pages.post("/admin/applicants/export") { request, context in try await export(request, context: context) }
    }

    /// The page's filter: dates as the date inputs send them, an unknown action or format a 400.
    private static func filter(_ request: Request) throws -> (AccessLogStore.Filter, AccessLogExport.Format?) {
        let query = request.uri.queryParameters
        func date(_ name: String) throws -> Date? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) else {
                throw HTTPError(.badRequest, message: "\(name) must be a date such as 2026-12-01.")
            }
            return date
        }
        var filter = AccessLogStore.Filter(since: try date("from"), until: try date("to"))
        if let caller = query["caller"].map(String.init), !caller.isEmpty { filter.caller = caller }
        if let action = query["action"].map(String.init), !action.isEmpty {
            guard let known = AccessEvent.Action(rawValue: action) else { throw HTTPError(.badRequest, message: "There is no action ‘\(action.prefix(30))’.") }
            filter.action = known
        }
        var format: AccessLogExport.Format?
        if let text = query["format"].map(String.init), !text.isEmpty {
            guard let known = AccessLogExport.Format(rawValue: text) else { throw HTTPError(.badRequest, message: "format must be csv or ndjson.") }
            format = known
        }
        return (filter, format)
    }

    private func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (filter, _) = try Self.filter(request)
        await log.flush()
        let events = try await log.store.latest(filter, limit: shown)
        context.recordAccess(.read, .accessLog, nil)
        let query = request.uri.queryParameters
        var kept: [(String, String)] = []
        for name in ["caller", "action", "from", "to"] {
            if let value = query.get(name), !value.isEmpty { kept.append((name, value)) }
        }
        var actions = [AccessLogPage.Option(value: "", label: "Any", selected: filter.action == nil)]
        for action in AccessEvent.Action.allCases {
            actions.append(AccessLogPage.Option(value: action.rawValue, label: action.rawValue.replacingOccurrences(of: "_", with: " "), selected: action == filter.action))
        }
        return views.page(AccessLogPage(
            base: PageBase(context, title: "Access log"), retentionDays: retentionDays, caller: filter.caller ?? "",
            from: query["from"].map(String.init) ?? "", to: query["to"].map(String.init) ?? "", actions: actions,
            csvLink: "/admin/access-log/export" + Formatting.query(kept + [("format", "csv")]),
            ndjsonLink: "/admin/access-log/export" + Formatting.query(kept + [("format", "ndjson")]),
            summary: events.isEmpty ? "No events match." : "The latest \(Formatting.count(events.count)), newest first.",
            hasEvents: !events.isEmpty,
            events: events.map { e in
                .init(at: AdminAuditController.timestamp(e.at), caller: e.caller, action: e.action.rawValue, kind: e.objectKind.rawValue,
                      object: e.objectID ?? "", outcome: e.outcome.rawValue, address: e.address ?? "", requestID: e.requestID ?? "")
            }))
    }

    private func rights(context: AppRequestContext, problem: String?, report: ErasureReport?, status: HTTPResponse.Status = .ok) -> Response {
        views.page(ApplicantRightsPage(base: PageBase(context, title: "Erasure and access requests"), problem: problem, report: report.map(Self.view)), status: status)
    }

    /// The posted id, checked; nil with the page that says what is wrong.
    private func postedID(_ request: Request, context: AppRequestContext) async throws -> (id: String?, form: [String: String]) {
        let form = try await FormBody.read(request, context: context)
        try CSRF.check(form["csrf"], context: context)
        return (try? ApplicantErasure.checked(form["applicant_id"]), form)
    }

    private func erase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (id, form) = try await postedID(request, context: context)
        guard let id else { return rights(context: context, problem: "Give the applicant's id (at most 200 characters).", report: nil, status: .unprocessableContent) }
        guard form["confirm"] == "yes" else {
            return rights(context: context, problem: "Tick the confirmation to erase: an erasure cannot be undone.", report: nil, status: .unprocessableContent)
        }
        let report = try await erasure.erase(applicantID: id)
        context.recordAccess(.erase, .applicant, id)
        context.logger.notice("applicant erased", metadata: ["batches": .stringConvertible(report.erased.batches), "rows": .stringConvertible(report.erased.rows)])
        return rights(context: context, problem: nil, report: report)
    }

    private func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (id, _) = try await postedID(request, context: context)
        guard let id else { return rights(context: context, problem: "Give the applicant's id (at most 200 characters).", report: nil, status: .unprocessableContent) }
        let export = try await erasure.export(applicantID: id)
        context.recordAccess(.export, .applicant, id)
        var response = try JSONAnswer(export).response()
        response.headers[.cacheControl] = "no-store"
        response.headers[.contentDisposition] = "attachment; filename=\"applicant-export.json\""
        return response
    }

    private static func view(_ r: ErasureReport) -> ApplicantRightsPage.Report {
        let e = r.erased
        let counts: [(String, Int)] = [
            ("Batches the applicant was in", e.batches), ("Result rows", e.rows), ("Rows' uploaded values", e.cells),
            ("Rows' stored features", e.featureRows), ("Records taken out of stored uploads", e.uploadRecords),
            ("Results-with-reasons files deleted (made again on request)", e.reasonsFiles), ("Shadow pairs", e.shadowPairs),
            ("Form decisions", e.applicantDecisions), ("Analysts' review decisions", e.reviewDecisions),
        ]
        return .init(
            when: Formatting.timestamp(r.erasedAt), erased: counts.map { .init(label: $0.0, count: Formatting.count($0.1)) },
            hasBatches: !r.batches.isEmpty,
            batches: r.batches.map { .init(batchID: $0.batchID, rows: $0.rowNumbers.map(String.init).joined(separator: ", ")) },
            retained: r.retained.map {
                .init(label: $0.kind.replacingOccurrences(of: "_", with: " "), count: Formatting.count($0.count),
                      expires: $0.expires.map(Formatting.timestamp) ?? "—", legalBasis: $0.legalBasis, erasedBy: $0.erasedBy)
            })
    }
}
