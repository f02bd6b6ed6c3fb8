import Foundation
import Hummingbird
import LoanRiskCore

/// The admin API of the access log and of applicants' rights:
/// - `GET /admin/v1/access-log?from=&to=&caller=&action=&format=csv|ndjson`: the access log, streamed.
/// - `DELETE /admin/v1/applicants/{id}` and `POST /admin/v1/erasures` with `{"applicant_id": …}`:
///   erasure (GDPR Art. 17); the answer is the `ErasureReport`. The POST keeps the id out of
///   the address (and so out of proxies' and servers' access logs).
/// - `POST /admin/v1/applicant-exports` with `{"applicant_id": …}`: everything stored about
///   the applicant (Art. 15), as JSON.
/// Each is recorded in the access log; the applicant's id is never written to the application's log.
struct AdminAccessController {
    let log: AccessLog
    let erasure: ApplicantErasure

    func addRoutes(to admin: some RouterMethods<AppRequestContext>) {
        admin.get("access-log") { request, context in
            let (filter, format) = try AccessLogExport.read(request)
            context.recordAccess(.export, .accessLog, nil)
            return AccessLogExport.response(log: log, filter: filter, format: format)
        }
        admin.delete("applicants/:id") { _, context in
            try await erase(try checked(context.parameters.get("id")), context: context)
        }
        admin.post("erasures") { request, context in
            try await erase(try checked(try await Self.applicantID(request)), context: context)
        }
        admin.post("applicant-exports") { request, context in
            let id = try checked(try await Self.applicantID(request))
            let export = try await erasure.export(applicantID: id)
            context.recordAccess(.export, .applicant, id)
            var response = try JSONAnswer(export).response()
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }

    private func erase(_ id: String, context: AppRequestContext) async throws -> Response {
        let report = try await erasure.erase(applicantID: id)
        context.recordAccess(.erase, .applicant, id)
        context.logger.notice("applicant erased", metadata: [
            "batches": .stringConvertible(report.erased.batches), "rows": .stringConvertible(report.erased.rows),
            "applicantDecisions": .stringConvertible(report.erased.applicantDecisions),
        ])
        var response = try JSONAnswer(report).response()
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func checked(_ id: String?) throws -> String {
        do {
            return try ApplicantErasure.checked(id)
        } catch let invalid as ApplicantErasure.InvalidID {
            throw ProblemDetails(status: .badRequest, detail: invalid.description)
        }
    }

    /// `{"applicant_id": "…"}`.
    struct Body: Decodable {
        let applicantID: String

        enum CodingKeys: String, CodingKey { case applicantID = "applicant_id" }
    }

    private static func applicantID(_ request: Request) async throws -> String {
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json") else {
            throw ProblemDetails(status: .unsupportedMediaType, detail: #"Send {"applicant_id": "<id>"} as application/json."#)
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data((try await request.body.collect(upTo: 65_536)).readableBytesView)).applicantID
        } catch {
            throw ProblemDetails(status: .badRequest, detail: #"Send {"applicant_id": "<id>"}."#)
        }
    }
}
