import Foundation
import LoanRiskCore

/// The access log and applicants' rights in the OpenAPI document (`/admin/v1`, behind the admin token).
extension OpenAPIDocument {
    var accessPaths: [String: OpenAPI.PathItem] {
        let security: [[String: [String]]] = [["adminToken": []]]
        let problems: [String: OpenAPI.Response] = [
            "400": OpenAPI.Response(description: "A malformed request, or no applicant id", content: nil),
            "401": OpenAPI.Response(description: "No admin token, or a wrong one (`WWW-Authenticate: Bearer`)", content: nil),
            "404": OpenAPI.Response(description: "The admin API is off (no ADMIN_TOKEN)", content: nil),
        ]
        var postedProblems = problems
        postedProblems["415"] = OpenAPI.Response(description: "A body that is not application/json", content: nil)
        func json(_ description: String, posted: Bool = false) -> [String: OpenAPI.Response] {
            (posted ? postedProblems : problems).merging(["200": OpenAPI.Response(description: description, content: ["application/json": OpenAPI.MediaType(schema: Schema(type: [.object]))])]) { _, b in b }
        }
        let body = OpenAPI.RequestBody(required: true, content: [
            "application/json": OpenAPI.MediaType(schema: Schema(
                type: [.object], properties: ["applicant_id": Schema(type: [.string], description: "The id the applicant's files carry (1–200 characters).")],
                required: ["applicant_id"])),
        ])
        let erasure = "Removes the applicant from every stored batch (rows, cells, features, the stored upload, reasons files, counts), shadow pairs, form decisions and analysts' decisions; audit records are kept (Regulation B, 12 CFR 1002.12(b)) and reported with their count and expiry."
        return [
            "/admin/v1/access-log": .init(get: OpenAPI.Operation(
                operationId: "adminAccessLog", summary: "The access log, streamed: who read, downloaded, uploaded, deleted, decided, erased or exported what",
                description: "Each event: id, time, caller (`account:…`, `key:…`, `admin-token:…` or `anonymous`), action, object kind and id, client address, request id, outcome (ok, refused, not_found). CSV unless `format=ndjson`. `from` and `to` (exclusive) take ISO 8601 times or dates, UTC.",
                parameters: ["from", "to", "caller"].map { OpenAPI.Parameter(name: $0, location: .query, required: false, schema: Schema(type: [.string])) }
                    + [OpenAPI.Parameter(name: "action", location: .query, required: false, schema: Schema(type: [.string], allowedValues: AccessEvent.Action.allCases.map { .string($0.rawValue) })),
                       OpenAPI.Parameter(name: "format", location: .query, required: false, schema: Schema(type: [.string], allowedValues: ["csv", "ndjson"]))],
                responses: problems.merging([
                    "200": OpenAPI.Response(description: "The events, oldest first", content: [
                        "text/csv": OpenAPI.MediaType(schema: Schema(type: [.string])), "application/x-ndjson": OpenAPI.MediaType(schema: Schema(type: [.string])),
                    ]),
                ]) { _, b in b },
                security: security)),
            "/admin/v1/applicants/{id}": .init(delete: OpenAPI.Operation(
                operationId: "adminEraseApplicantByPath", summary: "Erase an applicant by id (GDPR Art. 17)", description: erasure + " Prefer the POST, which keeps the id out of addresses.",
                parameters: [OpenAPI.Parameter(name: "id", location: .path, required: true, description: "The applicant's id.", schema: Schema(type: [.string]))],
                responses: json("What was erased and what was kept"), security: security)),
            "/admin/v1/erasures": .init(post: OpenAPI.Operation(
                operationId: "adminEraseApplicant", summary: "Erase an applicant by id (GDPR Art. 17)", description: erasure,
                requestBody: body, responses: json("What was erased and what was kept", posted: true), security: security)),
            "/admin/v1/applicant-exports": .init(post: OpenAPI.Operation(
                operationId: "adminExportApplicant", summary: "Everything stored about an applicant (GDPR Art. 15)",
                description: "Every stored row (cells, decision, reasons), form decision, analyst's decision, shadow pair and audit record about the applicant.",
                requestBody: body, responses: json("The export", posted: true), security: security)),
        ]
    }
}
