import Foundation
import LoanRiskCore

/// The admin surface (`/admin/v1`) in the OpenAPI document: the model registry, the audit
/// log, analysts' review decisions and API keys, behind a key with scope admin (or models, for the registry).
extension OpenAPIDocument {
    var adminPaths: [String: OpenAPI.PathItem] {
        let name = OpenAPI.Parameter(
            name: "name", location: .path, required: true, description: "A model name.", schema: Schema(type: [.string], pattern: "^[A-Za-z0-9._-]{1,64}$"))
        let version = OpenAPI.Parameter(name: "version", location: .path, required: true, schema: Schema(type: [.string], pattern: "^[A-Za-z0-9._-]{1,64}$"))
        let alias = OpenAPI.Parameter(name: "alias", location: .path, required: true, schema: Schema(type: [.string], allowedValues: ["champion", "challenger"]))
        let anObject = Schema(type: [.object])
        return [
            "/admin/v1/models": .init(get: admin("adminListModels", "Every model version: aliases, sha256, who registered and promoted it", ok: anObject)),
            "/admin/v1/models/{name}/versions": .init(post: admin(
                "adminRegisterVersion", "Register a version (multipart: part `model` = the model file: LightGBM model.txt, XGBoost JSON/UBJSON, a scikit-learn or scorecard export; optional `bundle` = bundle.json, `golden` = golden.csv)",
                ok: anObject, okStatus: "201",
                description: "A version is immutable and named by the bundle's version, or the first 12 hex digits of a bare model's sha256. Sending the same files again answers 200; the same version with other content is a 409. Registering never promotes.",
                parameters: [name], body: ["multipart/form-data": OpenAPI.MediaType(schema: Schema(type: [.object], properties: [
                    "model": Schema(type: [.string], contentMediaType: "text/plain"), "bundle": Schema(type: [.string], contentMediaType: "application/json"),
                    "golden": Schema(type: [.string], contentMediaType: "text/csv"),
                ], required: ["model"]))],
                problems: ["400", "409", "413", "422"])),
            "/admin/v1/models/{name}/versions/{version}": .init(delete: admin(
                "adminRemoveVersion", "Remove a version that serves nothing and scored no stored batch", ok: nil, okStatus: "204",
                parameters: [name, version], problems: ["409"])),
            "/admin/v1/models/{name}/aliases/{alias}": .init(
                put: admin(
                    "adminSetAlias", "Point champion or challenger at a version, once it passes validation", ok: anObject,
                    description: "The version must load (sha256 checked), reproduce its golden rows when it has them (422 lists those that differ), and take the champion's inputs: added, removed or re-typed inputs are listed in `input_changes` (409) and need `\"force\": true`. In-flight requests finish on the version they started with; new ones get the new version.",
                    parameters: [name, alias],
                    body: ["application/json": OpenAPI.MediaType(
                        schema: Schema(type: [.object], properties: [
                            "version": Schema(type: [.string]), "force": Schema(type: [.boolean], defaultValue: false),
                        ], required: ["version"]),
                        example: defaultBundle.map { ["version": .string($0.version)] })],
                    problems: ["400", "409", "422"]),
                delete: admin("adminClearAlias", "Clear the challenger (the champion cannot be cleared)", ok: nil, okStatus: "204",
                              parameters: [name, alias], problems: ["409"])),
            "/admin/v1/models/{name}/rollback": .init(post: admin(
                "adminRollback", "Make the previous champion the champion again", ok: anObject, parameters: [name], problems: ["409", "422"])),
            "/admin/v1/models/{name}/history": .init(get: admin(
                "adminAliasHistory", "Every move of the model's aliases, newest first: who, when, from → to", ok: anObject, parameters: [name])),
            "/admin/v1/models/{name}/challenger": .init(get: admin(
                "adminChallenger", "Champion against challenger: agreement, decision flips, score PSI, largest differences", ok: anObject,
                parameters: [name, OpenAPI.Parameter(name: "champion", location: .query, required: false, schema: Schema(type: [.string])),
                             OpenAPI.Parameter(name: "challenger", location: .query, required: false, schema: Schema(type: [.string]))])),
            "/admin/v1/keys": .init(
                get: admin("adminListKeys", "Every API key, without its secret: name, prefix, scopes, models, expiry, last use, revocation", ok: anObject),
                post: keyCreation),
            "/admin/v1/keys/{id}": .init(delete: admin(
                "adminRevokeKey", "Revoke a key: refused at once here, within about a second on every other instance", ok: anObject,
                parameters: [OpenAPI.Parameter(name: "id", location: .path, required: true, schema: Schema(type: [.string]))])),
            "/admin/v1/audit": .init(get: OpenAPI.Operation(
                operationId: "adminAudit", summary: "The audit log, streamed: one record per scored applicant",
                description: "Each record: time, request id (the `X-Request-Id` of the answer, or the batch id), channel, model name, version and sha256, probability, decision, score, reason codes and the caller (`key:NAME`, `account:NAME`, `admin-token:LABEL`) — no applicant fields besides the applicant id. CSV unless `format=ndjson` (or `Accept: application/x-ndjson`). `since` and `until` (exclusive) take ISO 8601 times or dates, UTC.",
                parameters: ["since", "until", "model", "version", "request_id"].map { OpenAPI.Parameter(name: $0, location: .query, required: false, schema: Schema(type: [.string])) }
                    + [OpenAPI.Parameter(name: "format", location: .query, required: false, schema: Schema(type: [.string], allowedValues: ["csv", "ndjson"]))],
                responses: adminProblems(["400"]).merging([
                    "200": OpenAPI.Response(description: "The records", content: [
                        "text/csv": OpenAPI.MediaType(schema: Schema(type: [.string])), "application/x-ndjson": OpenAPI.MediaType(schema: Schema(type: [.string])),
                    ]),
                ], uniquingKeysWith: { _, b in b }),
                security: Self.adminSecurity)),
            "/admin/v1/reviews": .init(get: OpenAPI.Operation(
                operationId: "adminReviews", summary: "Analysts' decisions on review cases, streamed: one per case",
                description: "Each decision: the case (`channel` batch or form, `request_id` the batch's or the form decision's id, `row_number`, `applicant_id`), when it was referred, the model (`model_name`, `model_version`, `model_decision`, `probability`, `score`), and the analyst's `decision`, `note`, `decided_at` and `decided_by`. Kept as long as the audit log, after the batch is deleted. `since` and `until` (exclusive, on `decided_at`) take ISO 8601 times or dates, UTC.",
                parameters: ["since", "until", "model"].map { OpenAPI.Parameter(name: $0, location: .query, required: false, schema: Schema(type: [.string])) },
                responses: adminProblems(["400"]).merging([
                    "200": OpenAPI.Response(description: "The decisions", content: ["application/x-ndjson": OpenAPI.MediaType(schema: Schema(type: [.string]))]),
                ], uniquingKeysWith: { _, b in b }),
                security: Self.adminSecurity)),
        ]
    }

    /// Admin operations need a key with scope admin (models under /admin/v1/models).
    private static let adminSecurity = OpenAPIDocument.bearerSecurity

    /// `POST /admin/v1/keys`: the key's text is in the answer, once.
    private var keyCreation: OpenAPI.Operation {
        let scopes = Schema(type: [.array], items: Schema(type: [.string], allowedValues: APIKeyScope.allCases.map { .string($0.rawValue) }))
        let body = Schema(type: [.object], properties: [
            "name": Schema(type: [.string], description: "Unique among keys not revoked; the audit log names the caller key:NAME."),
            "scopes": scopes,
            "models": Schema(type: [.array], description: "The models it may use; absent or empty: every model.", items: Schema(type: [.string])),
            "expires_at": Schema(type: [.string], description: "A date (the key works through that day, UTC) or an ISO 8601 time."),
            "rate_per_minute": Schema(type: [.integer], description: "Requests a minute on each instance; absent: API_KEY_RATE_PER_MINUTE.", minimum: 1),
            "team": Schema(type: [.string]),
        ], required: ["name", "scopes"])
        var operation = admin(
            "adminCreateKey", "Make an API key; the answer's `key` is its text, shown this once (only its hash is kept)", ok: Schema(type: [.object], properties: [
                "key": Schema(type: [.string]), "id": Schema(type: [.string]), "prefix": Schema(type: [.string]),
            ], required: ["key", "id"]), okStatus: "201", body: ["application/json": OpenAPI.MediaType(schema: body)], problems: ["400", "409", "415", "422"])
        operation.responses["200"] = nil
        return operation
    }

    private func admin(
        _ id: String, _ summary: String, ok: Schema?, okStatus: String = "200", description: String? = nil,
        parameters: [OpenAPI.Parameter] = [], body: [String: OpenAPI.MediaType]? = nil, problems: [String] = []
    ) -> OpenAPI.Operation {
        var responses = adminProblems(problems)
        responses[okStatus] = OpenAPI.Response(
            description: okStatus == "204" ? "Done" : "OK", content: ok.map { ["application/json": OpenAPI.MediaType(schema: $0)] })
        if okStatus == "201" {
            responses["200"] = OpenAPI.Response(description: "Already registered", content: ["application/json": OpenAPI.MediaType(schema: Schema(type: [.object]))])
        }
        return OpenAPI.Operation(
            operationId: id, summary: summary, description: description, parameters: parameters,
            requestBody: body.map { OpenAPI.RequestBody(required: true, content: $0) }, responses: responses, security: Self.adminSecurity)
    }

    /// Every admin operation can answer 401 (no or wrong token) and 404 (unknown model or
    /// version, or the admin surface off), besides its own.
    private func adminProblems(_ codes: [String]) -> [String: OpenAPI.Response] {
        let meaning = ["400": "A malformed request", "401": "No key, or one unknown, expired or revoked (`WWW-Authenticate: Bearer`)",
                       "404": "No such model, version, alias or key",
                       "409": "Refused by the registry's rules (immutable versions, aliases, changed inputs without force, in use)",
                       "413": "Larger than the upload limit", "422": "The version does not load or does not reproduce its golden rows"]
        var responses: [String: OpenAPI.Response] = [:]
        for code in ["401", "404"] + codes {
            responses[code] = OpenAPI.Response(description: meaning[code] ?? "Error", content: ["application/problem+json": OpenAPI.MediaType(schema: .ref("Problem"))])
        }
        return responses
    }
}
