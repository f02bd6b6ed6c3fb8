import Foundation
import LoanRiskCore
import LoanRiskStorage

/// The admin surface (`/admin/v1`) in the OpenAPI document: the model registry and the audit
/// log, behind a bearer token. Off (404 everywhere) unless the server has `ADMIN_TOKEN`.
extension OpenAPIDocument {
    var adminPaths: [String: Any] {
        let name: [String: Any] = ["name": "name", "in": "path", "required": true,
                                   "schema": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"], "description": "A model name."]
        let version: [String: Any] = ["name": "version", "in": "path", "required": true,
                                      "schema": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"]]
        let alias: [String: Any] = ["name": "alias", "in": "path", "required": true, "schema": ["type": "string", "enum": ["champion", "challenger"]]]
        return [
            "/admin/v1/models": ["get": admin("adminListModels", "Every model version: aliases, sha256, who registered and promoted it", ok: ["type": "object"])],
            "/admin/v1/models/{name}/versions": ["post": admin(
                "adminRegisterVersion", "Register a version (multipart: part `model` = model.txt; optional `bundle` = bundle.json, `golden` = golden.csv)",
                ok: ["type": "object"], okStatus: "201",
                description: "A version is immutable and named by the bundle's version, or the first 12 hex digits of a bare model's sha256. Sending the same files again answers 200; the same version with other content is a 409. Registering never promotes.",
                parameters: [name], body: ["multipart/form-data": ["schema": ["type": "object", "required": ["model"], "properties": [
                    "model": ["type": "string", "contentMediaType": "text/plain"], "bundle": ["type": "string", "contentMediaType": "application/json"],
                    "golden": ["type": "string", "contentMediaType": "text/csv"]]]]],
                problems: ["400", "409", "413", "422"])],
            "/admin/v1/models/{name}/versions/{version}": ["delete": admin(
                "adminRemoveVersion", "Remove a version that serves nothing and scored no stored batch", ok: nil, okStatus: "204",
                parameters: [name, version], problems: ["409"])],
            "/admin/v1/models/{name}/aliases/{alias}": [
                "put": admin(
                    "adminSetAlias", "Point champion or challenger at a version, once it passes validation", ok: ["type": "object"],
                    description: "The version must load (sha256 checked), reproduce its golden rows when it has them (422 lists those that differ), and take the champion's inputs: added, removed or re-typed inputs are listed in `input_changes` (409) and need `\"force\": true`. In-flight requests finish on the version they started with; new ones get the new version.",
                    parameters: [name, alias],
                    body: ["application/json": jsonContent(["type": "object", "required": ["version"],
                                                            "properties": ["version": ["type": "string"], "force": ["type": "boolean", "default": false]]],
                                                           example: defaultBundle.map { ["version": $0.version] })],
                    problems: ["400", "409", "422"]),
                "delete": admin("adminClearAlias", "Clear the challenger (the champion cannot be cleared)", ok: nil, okStatus: "204",
                                parameters: [name, alias], problems: ["409"]),
            ],
            "/admin/v1/models/{name}/rollback": ["post": admin(
                "adminRollback", "Make the previous champion the champion again", ok: ["type": "object"], parameters: [name], problems: ["409", "422"])],
            "/admin/v1/models/{name}/history": ["get": admin(
                "adminAliasHistory", "Every move of the model's aliases, newest first: who, when, from → to", ok: ["type": "object"], parameters: [name])],
            "/admin/v1/models/{name}/challenger": ["get": admin(
                "adminChallenger", "Champion against challenger: agreement, decision flips, score PSI, largest differences", ok: ["type": "object"],
                parameters: [name, ["name": "champion", "in": "query", "required": false, "schema": ["type": "string"]],
                             ["name": "challenger", "in": "query", "required": false, "schema": ["type": "string"]]])],
            "/admin/v1/audit": ["get": [
                "operationId": "adminAudit", "summary": "The audit log, streamed: one record per scored applicant",
                "description": "Each record: time, request id (the `X-Request-Id` of the answer, or the batch id), channel, model name, version and sha256, probability, decision, score and reason codes — no applicant fields besides the applicant id. CSV unless `format=ndjson` (or `Accept: application/x-ndjson`). `since` and `until` (exclusive) take ISO 8601 times or dates, UTC.",
                "security": [["adminToken": [String]()]],
                "parameters": ["since", "until", "model", "version", "request_id"].map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]] }
                    + [["name": "format", "in": "query", "required": false, "schema": ["type": "string", "enum": ["csv", "ndjson"]]]],
                "responses": [
                    "200": ["description": "The records", "content": ["text/csv": ["schema": ["type": "string"]], "application/x-ndjson": ["schema": ["type": "string"]]]],
                ].merging(adminProblems(["400"]), uniquingKeysWith: { a, _ in a }),
            ]],
        ]
    }

    var adminSecurityScheme: [String: Any] {
        ["type": "http", "scheme": "bearer", "description": "One of the server's ADMIN_TOKEN tokens."]
    }

    private func admin(
        _ id: String, _ summary: String, ok: [String: Any]?, okStatus: String = "200", description: String? = nil,
        parameters: [[String: Any]] = [], body: [String: Any]? = nil, problems: [String] = []
    ) -> [String: Any] {
        var responses = adminProblems(problems)
        var success: [String: Any] = ["description": okStatus == "204" ? "Done" : "OK"]
        if let ok { success["content"] = ["application/json": ["schema": ok]] }
        responses[okStatus] = success
        if okStatus == "201" { responses["200"] = ["description": "Already registered", "content": ["application/json": ["schema": ["type": "object"]]]] }
        var operation: [String: Any] = ["operationId": id, "summary": summary, "responses": responses, "security": [["adminToken": [String]()]]]
        if let description { operation["description"] = description }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body { operation["requestBody"] = ["required": true, "content": body] }
        return operation
    }

    /// Every admin operation can answer 401 (no or wrong token) and 404 (unknown model or
    /// version, or the admin surface off), besides its own.
    private func adminProblems(_ codes: [String]) -> [String: Any] {
        let meaning = ["400": "A malformed request", "401": "No admin token, or a wrong one (`WWW-Authenticate: Bearer`)",
                       "404": "No such model, version or alias — or the admin API is off (no ADMIN_TOKEN)",
                       "409": "Refused by the registry's rules (immutable versions, aliases, changed inputs without force, in use)",
                       "413": "Larger than the upload limit", "422": "The version does not load or does not reproduce its golden rows"]
        return Dictionary(uniqueKeysWithValues: (["401", "404"] + codes).map { code in
            (code, ["description": meaning[code] ?? "Error", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]] as [String: Any])
        })
    }
}
