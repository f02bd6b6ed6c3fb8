import Foundation
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// The OpenAPI 3.1 description of the JSON API, generated from the loaded models' schemas:
/// one applicant schema per model (types, category enums, training ranges, examples), the
/// predict paths with their `reasons` and `contributions` query parameters, the model
/// listing, the Open Inference Protocol endpoints with their optional outputs, and the admin
/// surface (`OpenAPIDocument+Admin`).
struct OpenAPIDocument {
    let bundles: [ModelBundle]
    let defaultModel: String

    /// The document as JSON (sorted keys, so it is stable).
    func json() throws -> Data {
        try JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .prettyPrinted])
    }

    func document() -> [String: Any] {
        var paths: [String: Any] = [
            "/api/v1/predict": ["post": predict(for: defaultModel, operationID: "predictDefault", summary: "Score applicants with the default model (\(defaultModel))")],
            "/api/v1/models": ["get": operation("listModels", "List the models", response: ref("ModelList"), problems: [])],
            "/api/v1/models/{name}": [
                "get": operation("describeModel", "Describe one model: inputs, decision policy, score scale", response: ref("ModelDescription"),
                                 problems: ["404"], parameters: [nameParameter]),
            ],
            "/v2/health/live": ["get": operation("oipLive", "Open Inference Protocol: server live", response: ["type": "object"], problems: [])],
            "/v2/health/ready": ["get": operation("oipReady", "Open Inference Protocol: server ready", response: ["type": "object"], problems: [])],
            "/v2/models/{name}": [
                "get": operation("oipModelMetadata", "Open Inference Protocol: model metadata (input and output tensors)",
                                 response: ref("InferenceModelMetadata"), problems: [], inferenceErrors: true, parameters: [nameParameter]),
            ],
            "/v2/models/{name}/ready": [
                "get": operation("oipModelReady", "Open Inference Protocol: model ready", response: ["type": "object"],
                                 problems: [], inferenceErrors: true, parameters: [nameParameter]),
            ],
            "/v2/models/{name}/infer": ["post": infer],
        ]
        paths.merge(adminPaths, uniquingKeysWith: { a, _ in a })
        for bundle in bundles {
            let id = "predict_" + bundle.name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
            paths["/api/v1/models/\(bundle.name)/predict"] = ["post": predict(for: bundle.name, operationID: String(id), summary: "Score applicants with \(bundle.title)")]
        }
        var schemas: [String: Any] = [
            "PredictionResult": predictionResult,
            "PredictionResults": ["type": "object", "required": ["results"],
                                  "properties": ["results": ["type": "array", "items": ref("PredictionResult")], "reasons_unavailable": reasonsUnavailable]],
            "Reason": reason,
            "Contributions": contributions,
            "Problem": problem,
            "ModelList": ["type": "object", "required": ["models"], "properties": ["models": ["type": "array", "items": ref("ModelDescription")]]],
            "ModelDescription": ["type": "object", "required": ["name", "version", "features"],
                                 "properties": ["name": ["type": "string"], "version": ["type": "string"], "title": ["type": "string"],
                                                "features": ["type": "array", "items": ["type": "object"]], "policy": ["type": "object"],
                                                "model_features": ["type": "array", "items": ["type": "string"],
                                                                   "description": "The model's features (inputs and derived ones) in model order: the keys of `contributions` and the columns of the Open Inference Protocol `contributions` output."],
                                                "score_scaling": ["type": "object"], "id_column": ["type": ["string", "null"]]]],
            "InferenceRequest": inferenceRequest,
            "InferenceResponse": inferenceResponse,
            "InferenceModelMetadata": ["type": "object", "required": ["name", "inputs", "outputs"]],
            "InferenceError": ["type": "object", "required": ["error"], "properties": ["error": ["type": "string"]]],
        ]
        for bundle in bundles {
            schemas["Applicant.\(bundle.name)"] = applicant(bundle)
            schemas["ApplicantBatch.\(bundle.name)"] = [
                "type": "object", "required": ["applicants"],
                "properties": ["applicants": ["type": "array", "items": ref("Applicant.\(bundle.name)"), "maxItems": 10_000]],
            ]
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "LoanRisk API", "version": "1.0.0",
                "description": "Probability of default, decision and score for loan applicants, from LightGBM models evaluated exactly as LightGBM does. The same scoring as the web pages and `loanrisk score`.",
            ],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": ["schemas": schemas, "securitySchemes": ["adminToken": adminSecurityScheme]],
        ]
    }

    private var nameParameter: [String: Any] {
        ["name": "name", "in": "path", "required": true, "schema": ["type": "string", "enum": bundles.map(\.name)]]
    }

    private func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    private func predict(for model: String, operationID: String, summary: String) -> [String: Any] {
        [
            "operationId": operationID,
            "summary": summary,
            "description": "Send one applicant object, or `{\"applicants\": [...]}` for many (same order back), or a CSV file (`text/csv`), answered with the results CSV as the web download gives it. Numbers may be JSON numbers or strings; `null` or an absent field means missing; fields the model does not know are ignored and reported in `warnings` (a protected attribute, such as marital status, is named as one and never used). Each result carries its principal `reasons` (ECOA / Regulation B): the features that raised the risk most, by exact TreeSHAP contribution of at least the model's reason floor (0.02 log-odds unless its bundle says otherwise), largest first, four unless `?reasons=N` says otherwise (`?reasons=0` turns them off and is fastest). `?contributions=true` adds every feature's contribution and the expected value, which sum to the raw score (the log-odds of the probability). A CSV answer gains `reason_1` … `reason_N` columns (each reason's sentence) and, with contributions, `contribution_<feature>` … `contribution_expected_value`. A model that cannot be explained (linear-leaf trees) is still scored: the answer has no reasons and says why once in `reasons_unavailable` (CSV: the `Reasons-Unavailable` header).",
            "parameters": explainParameters,
            "requestBody": [
                "required": true,
                "content": [
                    "application/json": jsonContent(["oneOf": [ref("Applicant.\(model)"), ref("ApplicantBatch.\(model)")]],
                                                    example: bundles.first { $0.name == model }.map(applicantExample)),
                    "text/csv": ["schema": ["type": "string"]],
                ],
            ],
            "responses": [
                "200": ["description": "Results", "content": [
                    "application/json": ["schema": ["oneOf": [ref("PredictionResult"), ref("PredictionResults")]]],
                    "text/csv": ["schema": ["type": "string"]],
                ]],
            ].merging(problemResponses(["400", "413", "415", "422"]), uniquingKeysWith: { a, _ in a }),
        ]
    }

    private func operation(
        _ id: String, _ summary: String, response: [String: Any], problems: [String], inferenceErrors: Bool = false, parameters: [[String: Any]] = []
    ) -> [String: Any] {
        var responses: [String: Any] = ["200": ["description": "OK", "content": ["application/json": ["schema": response]]]]
        responses.merge(problemResponses(problems), uniquingKeysWith: { a, _ in a })
        if inferenceErrors {
            responses["404"] = ["description": "Unknown model", "content": ["application/json": ["schema": ref("InferenceError")]]]
        }
        var operation: [String: Any] = ["operationId": id, "summary": summary, "responses": responses]
        if !parameters.isEmpty { operation["parameters"] = parameters }
        return operation
    }

    private func problemResponses(_ codes: [String]) -> [String: Any] {
        let meaning = ["400": "Malformed JSON (the detail gives the byte offset)", "404": "Unknown model", "413": "Too many applicants or too large a body",
                       "415": "Unsupported content type", "422": "Values that cannot be read, every one listed in `errors`"]
        return Dictionary(uniqueKeysWithValues: codes.map { code in
            (code, ["description": meaning[code] ?? "Error", "content": ["application/problem+json": ["schema": ref("Problem")]]] as [String: Any])
        })
    }

    private var infer: [String: Any] {
        [
            "operationId": "oipInfer",
            "summary": "Open Inference Protocol: score rows given as one tensor per input",
            "description": "One input tensor per model input (FP64 for numbers, BYTES for categories), all of the same length; outputs `probability_of_default` (FP64 [rows]) and `decision` (BYTES [rows]). List `outputs` to choose them, in your order; two more can be asked for: `contributions` (FP64 [rows, features + 1]: each model feature's TreeSHAP contribution in model order, as `model_features` of GET /api/v1/models/{name} lists them, then the expected value; the same values as LightGBM's `pred_contrib`) and `reasons` (BYTES [rows, N]: each row's principal reasons as sentences, empty strings past the last; N is the output's `parameters.count`, 1 to 10, default 4). A model with linear-leaf trees cannot give either (400).",
            "parameters": [nameParameter],
            "requestBody": ["required": true, "content": ["application/json": jsonContent(ref("InferenceRequest"), example: defaultBundle.map(inferenceExample))]],
            "responses": [
                "200": ["description": "Outputs", "content": ["application/json": ["schema": ref("InferenceResponse")]]],
                "400": ["description": "Invalid request", "content": ["application/json": ["schema": ref("InferenceError")]]],
                "404": ["description": "Unknown model", "content": ["application/json": ["schema": ref("InferenceError")]]],
                "413": ["description": "Too many rows", "content": ["application/json": ["schema": ref("InferenceError")]]],
            ],
        ]
    }

    private var inferenceRequest: [String: Any] {
        let tensor: [String: Any] = [
            "type": "object", "required": ["name", "shape", "datatype", "data"],
            "properties": ["name": ["type": "string"], "shape": ["type": "array", "items": ["type": "integer"]],
                           "datatype": ["type": "string", "enum": ["FP64", "FP32", "INT32", "INT64", "BYTES"]],
                           "data": ["type": "array", "items": ["type": ["number", "string", "null"]]]],
        ]
        return ["type": "object", "required": ["inputs"],
                "properties": ["id": ["type": "string"], "inputs": ["type": "array", "items": tensor], "outputs": ["type": "array", "items": requestedOutput]]]
    }

    private var inferenceResponse: [String: Any] {
        ["type": "object", "required": ["model_name", "outputs"],
         "properties": ["model_name": ["type": "string"], "model_version": ["type": "string"], "id": ["type": "string"],
                        "outputs": ["type": "array", "items": ["type": "object", "required": ["name", "datatype", "shape", "data"]]]]]
    }

    private var predictionResult: [String: Any] {
        [
            "type": "object", "required": ["probability_of_default", "decision", "score", "warnings", "model"],
            "properties": [
                "id": ["type": ["string", "null"], "description": "The applicant's id, when the model has an id column and it was sent."],
                "probability_of_default": ["type": "number", "minimum": 0, "maximum": 1, "description": "Full precision, as LightGBM computes it."],
                "decision": ["type": "string", "enum": ["approve", "review", "decline"]],
                "score": ["type": "integer", "description": "Scorecard points; higher is safer."],
                "reasons": ["type": "array", "items": ref("Reason"), "maxItems": ExplainQuery.maximumReasons,
                            "description": "The principal reasons, largest contribution first: only features that raised the risk, so possibly fewer than asked. Absent with `?reasons=0` or when the model cannot be explained."],
                "contributions": ref("Contributions"),
                "warnings": ["type": "array", "items": ["type": "string"]],
                "model": ["type": "object", "required": ["name", "version"], "properties": ["name": ["type": "string"], "version": ["type": "string"]]],
                "reasons_unavailable": reasonsUnavailable,
            ],
        ]
    }

    private var reasonsUnavailable: [String: Any] {
        ["type": "string", "description": "Present once per answer when reasons or contributions were asked of a model that cannot give them (linear-leaf trees), saying why."]
    }

    private var explainParameters: [[String: Any]] {
        [
            ["name": "reasons", "in": "query", "required": false,
             "description": "How many principal reasons each result carries, 0 to \(ExplainQuery.maximumReasons); 0 turns them off (fastest).",
             "schema": ["type": "integer", "minimum": 0, "maximum": ExplainQuery.maximumReasons, "default": ExplainOptions.defaultReasonCount]],
            ["name": "contributions", "in": "query", "required": false,
             "description": "Adds `contributions` to each result: every model feature's exact TreeSHAP contribution and the expected value.",
             "schema": ["type": "boolean", "default": false]],
        ]
    }

    private var reason: [String: Any] {
        [
            "type": "object", "required": ["feature", "columns", "phrase", "value", "kind", "contribution", "text"],
            "properties": [
                "feature": ["type": "string", "description": "The model feature (an input or a derived feature)."],
                "columns": ["type": "array", "items": ["type": "string"], "description": "The applicant's fields the feature comes from."],
                "phrase": ["type": "string", "description": "The feature in words."],
                "value": ["type": ["string", "null"], "description": "The applicant's value as a person reads it; null when missing."],
                "kind": ["type": "string", "enum": ["value", "missing", "unseen_category"],
                         "description": "`value`: the value given; `missing`: none given; `unseen_category`: a label the model never saw, scored as missing."],
                "contribution": ["type": "number", "exclusiveMinimum": 0, "description": "Exact TreeSHAP contribution to the raw score (log-odds of default)."],
                "text": ["type": "string", "description": "The reason as a sentence for the applicant."],
            ],
        ]
    }

    private var contributions: [String: Any] {
        [
            "type": "object", "required": ["expected_value"],
            "description": "With `?contributions=true`: one entry per model feature (`model_features` of the model's description) with its exact TreeSHAP contribution to the raw score, then `expected_value`, the model's mean raw score. They sum to the raw score, the log-odds of `probability_of_default`. The same numbers as LightGBM's `pred_contrib`, at full precision.",
            "properties": ["expected_value": ["type": "number"]],
            "additionalProperties": ["type": "number"],
        ]
    }

    private var requestedOutput: [String: Any] {
        [
            "type": "object", "required": ["name"],
            "properties": [
                "name": ["type": "string", "enum": ["probability_of_default", "decision", "contributions", "reasons"]],
                "parameters": ["type": "object", "properties": ["count": ["type": "integer", "minimum": 1, "maximum": ExplainQuery.maximumReasons,
                                                                          "description": "`reasons` only: how many columns (default 4)."]]],
            ],
        ]
    }

    private var problem: [String: Any] {
        [
            "type": "object", "required": ["type", "title", "status", "detail"],
            "properties": [
                "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
                "limit": ["type": "integer"],
                "input_changes": ["type": "object", "description": "A refused promotion: inputs `added`, `removed` and `retyped` against the champion's."],
                "golden_rows": ["type": "object", "description": "A refused promotion: the golden rows that did not reproduce."],
                "errors": ["type": "array", "items": [
                    "type": "object", "required": ["applicant", "field", "message"],
                    "properties": ["applicant": ["type": "integer"], "field": ["type": "string"], "value": ["type": ["string", "null"]],
                                   "message": ["type": "string"]],
                ]],
            ],
        ]
    }

    /// One model's applicant: its inputs typed from the schema. Out-of-range values and
    /// unseen categories are scored with a warning, so ranges are described, not enforced.
    private func applicant(_ bundle: ModelBundle) -> [String: Any] {
        var properties: [String: Any] = [:]
        for spec in bundle.schema.features {
            // One sentence with the unit, then the range: "… loan (USD). Seen in training: …".
            var description = spec.description ?? spec.name
            if description.hasSuffix(".") { description.removeLast() }
            if let unit = spec.unit, !unit.isEmpty { description += " (\(unit))" }
            description += "."
            var property: [String: Any]
            switch spec.kind {
            case .categorical:
                property = ["enum": (spec.categories ?? []) + [NSNull()] as [Any]]
                if spec.integerCodes == true { property = ["type": ["integer", "string", "null"]] }
            case .numeric, .integer:
                property = ["type": [spec.kind == .integer ? "integer" : "number", "string", "null"]]
                if let low = spec.minimum, let high = spec.maximum {
                    description += " Seen in training: \(Formatting.number(low)) to \(Formatting.number(high)); values outside get a warning."
                }
            }
            property["description"] = description
            property["examples"] = [Self.exampleValue(spec)]
            properties[spec.name] = property
        }
        if let id = bundle.schema.idColumn {
            properties[id] = ["type": ["string", "null"], "description": "The applicant's id, returned with the result."]
        }
        return ["type": "object", "properties": properties, "additionalProperties": true,
                "description": "An applicant for \(bundle.title). Every input may be omitted or null (missing)."]
    }
}
