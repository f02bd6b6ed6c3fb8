import Foundation
import LoanRiskCore
import Scoring

/// The OpenAPI 3.1 description of the JSON API, generated from the loaded models' schemas:
/// one applicant schema per model (types, category enums, training ranges, examples), the
/// predict paths with their `reasons` and `contributions` query parameters, the model
/// listing, the Open Inference Protocol endpoints with their optional outputs, and the admin
/// surface (`OpenAPIDocument+Admin`). Built as `OpenAPI` values, which `/docs` reads.
struct OpenAPIDocument {
    typealias Schema = OpenAPI.Schema

    let bundles: [ModelBundle]
    let defaultModel: String

    /// The document as JSON (sorted keys, so it is stable).
    func json() throws -> Data {
        try OpenAPI.encoded(document())
    }

    func document() -> OpenAPI.Document {
        var paths: [String: OpenAPI.PathItem] = [
            "/api/v1/predict": .init(post: predict(for: defaultModel, operationID: "predictDefault", summary: "Score applicants with the default model (\(defaultModel))")),
            "/api/v1/models": .init(get: operation("listModels", "List the models", response: .ref("ModelList"), problems: [])),
            "/api/v1/models/{name}": .init(
                get: operation("describeModel", "Describe one model: inputs, decision policy, score scale", response: .ref("ModelDescription"),
                               problems: ["404"], parameters: [nameParameter])),
            "/v2/health/live": .init(get: operation("oipLive", "Open Inference Protocol: server live", response: Schema(type: [.object]), problems: [])),
            "/v2/health/ready": .init(get: operation("oipReady", "Open Inference Protocol: server ready", response: Schema(type: [.object]), problems: [])),
            "/v2/models/{name}": .init(
                get: operation("oipModelMetadata", "Open Inference Protocol: model metadata (input and output tensors)",
                               response: .ref("InferenceModelMetadata"), problems: [], inferenceErrors: true, parameters: [nameParameter])),
            "/v2/models/{name}/ready": .init(
                get: operation("oipModelReady", "Open Inference Protocol: model ready", response: Schema(type: [.object]),
                               problems: [], inferenceErrors: true, parameters: [nameParameter])),
            "/v2/models/{name}/infer": .init(post: infer),
        ]
        paths.merge(adminPaths, uniquingKeysWith: { a, _ in a })
        paths.merge(accessPaths, uniquingKeysWith: { a, _ in a })
        for bundle in bundles {
            let id = "predict_" + bundle.name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
            paths["/api/v1/models/\(bundle.name)/predict"] = .init(post: predict(for: bundle.name, operationID: String(id), summary: "Score applicants with \(bundle.title)"))
        }
        var schemas: [String: Schema] = [
            "PredictionResult": predictionResult,
            "PredictionResults": Schema(type: [.object], properties: [
                "results": Schema(type: [.array], items: .ref("PredictionResult")), "reasons_unavailable": reasonsUnavailable,
            ], required: ["results"]),
            "Reason": reason,
            "Contributions": contributions,
            "Problem": problem,
            "ModelList": Schema(type: [.object], properties: ["models": Schema(type: [.array], items: .ref("ModelDescription"))], required: ["models"]),
            "ModelDescription": Schema(type: [.object], properties: [
                "name": Schema(type: [.string]), "version": Schema(type: [.string]), "title": Schema(type: [.string]),
                "kind": Schema(
                    type: [.string], description: "The library the model comes from; contributions are TreeSHAP for tree models, exact additive terms for linear ones, points lost against each characteristic's best bin for a scorecard.",
                    allowedValues: ModelKind.allCases.map { .string($0.rawValue) }),
                "features": Schema(type: [.array], items: Schema(type: [.object])), "policy": Schema(type: [.object]),
                "model_features": Schema(
                    type: [.array],
                    description: "The model's features (inputs and derived ones) in model order: the keys of `contributions` and the columns of the Open Inference Protocol `contributions` output.",
                    items: Schema(type: [.string])),
                "score_scaling": Schema(type: [.object]), "id_column": Schema(type: [.string, .null]),
            ], required: ["name", "version", "kind", "features"]),
            "InferenceRequest": inferenceRequest,
            "InferenceResponse": inferenceResponse,
            "InferenceModelMetadata": Schema(type: [.object], required: ["name", "inputs", "outputs"]),
            "InferenceError": Schema(type: [.object], properties: ["error": Schema(type: [.string])], required: ["error"]),
        ]
        for bundle in bundles {
            schemas["Applicant.\(bundle.name)"] = applicant(bundle)
            schemas["ApplicantBatch.\(bundle.name)"] = Schema(
                type: [.object], properties: ["applicants": Schema(type: [.array], items: .ref("Applicant.\(bundle.name)"), maxItems: 10_000)],
                required: ["applicants"])
        }
        return OpenAPI.Document(
            info: OpenAPI.Info(
                title: "LoanRisk API", version: "1.0.0",
                description: "Probability of default, decision and score for loan applicants, from LightGBM models evaluated exactly as LightGBM does. The same scoring as the web pages and `loanrisk score`."),
            servers: [OpenAPI.Server(url: "/")],
            paths: Self.secured(paths),
            components: OpenAPI.Components(schemas: schemas, securitySchemes: ["bearerAuth": Self.bearerScheme]))
    }

    private var nameParameter: OpenAPI.Parameter {
        OpenAPI.Parameter(name: "name", location: .path, required: true, schema: Schema(type: [.string], allowedValues: bundles.map { .string($0.name) }))
    }

    private func predict(for model: String, operationID: String, summary: String) -> OpenAPI.Operation {
        OpenAPI.Operation(
            operationId: operationID,
            summary: summary,
            description: "Send one applicant object, or `{\"applicants\": [...]}` for many (same order back), or a CSV file (`text/csv`), answered with the results CSV as the web download gives it. Numbers may be JSON numbers or strings; `null` or an absent field means missing; fields the model does not know are ignored and reported in `warnings` (a protected attribute, such as marital status, is named as one and never used). Each result carries its principal `reasons` (ECOA / Regulation B): the features that raised the risk most, by exact TreeSHAP contribution of at least the model's reason floor (0.02 log-odds unless its bundle says otherwise), largest first, four unless `?reasons=N` says otherwise (`?reasons=0` turns them off and is fastest). `?contributions=true` adds every feature's contribution and the expected value, which sum to the raw score (the log-odds of the probability). A CSV answer gains `reason_1` … `reason_N` columns (each reason's sentence) and, with contributions, `contribution_<feature>` … `contribution_expected_value`. A model that cannot be explained (linear-leaf trees) is still scored: the answer has no reasons and says why once in `reasons_unavailable` (CSV: the `Reasons-Unavailable` header).",
            parameters: explainParameters,
            requestBody: OpenAPI.RequestBody(required: true, content: [
                "application/json": OpenAPI.MediaType(
                    schema: Schema(oneOf: [.ref("Applicant.\(model)"), .ref("ApplicantBatch.\(model)")]),
                    example: bundles.first { $0.name == model }.map(applicantExample)),
                "text/csv": OpenAPI.MediaType(schema: Schema(type: [.string])),
            ]),
            responses: problemResponses(["400", "413", "415", "422"]).merging([
                "200": OpenAPI.Response(description: "Results", content: [
                    "application/json": OpenAPI.MediaType(schema: Schema(oneOf: [.ref("PredictionResult"), .ref("PredictionResults")])),
                    "text/csv": OpenAPI.MediaType(schema: Schema(type: [.string])),
                ]),
            ], uniquingKeysWith: { _, b in b }))
    }

    private func operation(
        _ id: String, _ summary: String, response: Schema, problems: [String], inferenceErrors: Bool = false, parameters: [OpenAPI.Parameter] = []
    ) -> OpenAPI.Operation {
        var responses = problemResponses(problems)
        responses["200"] = OpenAPI.Response(description: "OK", content: ["application/json": OpenAPI.MediaType(schema: response)])
        if inferenceErrors {
            responses["404"] = OpenAPI.Response(description: "Unknown model", content: ["application/json": OpenAPI.MediaType(schema: .ref("InferenceError"))])
        }
        return OpenAPI.Operation(operationId: id, summary: summary, parameters: parameters, responses: responses)
    }

    private func problemResponses(_ codes: [String]) -> [String: OpenAPI.Response] {
        let meaning = ["400": "Malformed JSON (the detail gives the byte offset)", "404": "Unknown model", "413": "Too many applicants or too large a body",
                       "415": "Unsupported content type", "422": "Values that cannot be read, or an applicant with fewer than half its inputs usable (too few to score), every problem listed in `errors`"]
        var responses: [String: OpenAPI.Response] = [:]
        for code in codes {
            responses[code] = OpenAPI.Response(description: meaning[code] ?? "Error", content: ["application/problem+json": OpenAPI.MediaType(schema: .ref("Problem"))])
        }
        return responses
    }

    private var infer: OpenAPI.Operation {
        func inferenceError(_ description: String) -> OpenAPI.Response {
            OpenAPI.Response(description: description, content: ["application/json": OpenAPI.MediaType(schema: .ref("InferenceError"))])
        }
        return OpenAPI.Operation(
            operationId: "oipInfer",
            summary: "Open Inference Protocol: score rows given as one tensor per input",
            description: "One input tensor per model input (FP64 for numbers, BYTES for categories), all of the same length; outputs `probability_of_default` (FP64 [rows]) and `decision` (BYTES [rows]). List `outputs` to choose them, in your order; two more can be asked for: `contributions` (FP64 [rows, features + 1]: each model feature's TreeSHAP contribution in model order, as `model_features` of GET /api/v1/models/{name} lists them, then the expected value; the same values as LightGBM's `pred_contrib`) and `reasons` (BYTES [rows, N]: each row's principal reasons as sentences, empty strings past the last; N is the output's `parameters.count`, 1 to 10, default 4). A model with linear-leaf trees cannot give either (400).",
            parameters: [nameParameter],
            requestBody: OpenAPI.RequestBody(required: true, content: [
                "application/json": OpenAPI.MediaType(schema: .ref("InferenceRequest"), example: defaultBundle.map(inferenceExample)),
            ]),
            responses: [
                "200": OpenAPI.Response(description: "Outputs", content: ["application/json": OpenAPI.MediaType(schema: .ref("InferenceResponse"))]),
                "400": inferenceError("Invalid request"),
                "404": inferenceError("Unknown model"),
                "413": inferenceError("Too many rows"),
            ])
    }

    private var inferenceRequest: Schema {
        let tensor = Schema(type: [.object], properties: [
            "name": Schema(type: [.string]), "shape": Schema(type: [.array], items: Schema(type: [.integer])),
            "datatype": Schema(type: [.string], allowedValues: ["FP64", "FP32", "INT32", "INT64", "BYTES"]),
            "data": Schema(type: [.array], items: Schema(type: [.number, .string, .null])),
        ], required: ["name", "shape", "datatype", "data"])
        return Schema(type: [.object], properties: [
            "id": Schema(type: [.string]), "inputs": Schema(type: [.array], items: tensor), "outputs": Schema(type: [.array], items: requestedOutput),
        ], required: ["inputs"])
    }

    private var inferenceResponse: Schema {
        Schema(type: [.object], properties: [
            "model_name": Schema(type: [.string]), "model_version": Schema(type: [.string]), "id": Schema(type: [.string]),
            "outputs": Schema(type: [.array], items: Schema(type: [.object], required: ["name", "datatype", "shape", "data"])),
        ], required: ["model_name", "outputs"])
    }

    private var predictionResult: Schema {
        Schema(type: [.object], properties: [
            "id": Schema(type: [.string, .null], description: "The applicant's id, when the model has an id column and it was sent."),
            "probability_of_default": Schema(type: [.number], description: "Full precision, as LightGBM computes it.", minimum: 0, maximum: 1),
            "decision": Schema(type: [.string], allowedValues: ["approve", "review", "decline"]),
            "score": Schema(type: [.integer], description: "Scorecard points; higher is safer."),
            "reasons": Schema(
                type: [.array],
                description: "The principal reasons, largest contribution first: only features that raised the risk, so possibly fewer than asked. Absent with `?reasons=0` or when the model cannot be explained.",
                items: .ref("Reason"), maxItems: ExplainQuery.maximumReasons),
            "contributions": .ref("Contributions"),
            "warnings": Schema(type: [.array], items: Schema(type: [.string])),
            "model": Schema(type: [.object], properties: ["name": Schema(type: [.string]), "version": Schema(type: [.string])], required: ["name", "version"]),
            "reasons_unavailable": reasonsUnavailable,
        ], required: ["probability_of_default", "decision", "score", "warnings", "model"])
    }

    private var reasonsUnavailable: Schema {
        Schema(type: [.string], description: "Present once per answer when reasons or contributions were asked of a model that cannot give them (linear-leaf trees), saying why.")
    }

    private var explainParameters: [OpenAPI.Parameter] {
        [
            OpenAPI.Parameter(
                name: "reasons", location: .query, required: false,
                description: "How many principal reasons each result carries, 0 to \(ExplainQuery.maximumReasons); 0 turns them off (fastest).",
                schema: Schema(type: [.integer], minimum: 0, maximum: Double(ExplainQuery.maximumReasons), defaultValue: .integer(ExplainOptions.defaultReasonCount))),
            OpenAPI.Parameter(
                name: "contributions", location: .query, required: false,
                description: "Adds `contributions` to each result: every model feature's exact TreeSHAP contribution and the expected value.",
                schema: Schema(type: [.boolean], defaultValue: false)),
        ]
    }

    private var reason: Schema {
        Schema(type: [.object], properties: [
            "feature": Schema(type: [.string], description: "The model feature (an input or a derived feature)."),
            "columns": Schema(type: [.array], description: "The applicant's fields the feature comes from.", items: Schema(type: [.string])),
            "phrase": Schema(type: [.string], description: "The feature in words."),
            "value": Schema(type: [.string, .null], description: "The applicant's value as a person reads it; null when missing."),
            "kind": Schema(
                type: [.string],
                description: "`value`: the value given; `missing`: none given; `unseen_category`: a label the model never saw, scored as missing.",
                allowedValues: ["value", "missing", "unseen_category"]),
            "contribution": Schema(type: [.number], description: "Exact TreeSHAP contribution to the raw score (log-odds of default).", exclusiveMinimum: 0),
            "text": Schema(type: [.string], description: "The reason as a sentence for the applicant."),
        ], required: ["feature", "columns", "phrase", "value", "kind", "contribution", "text"])
    }

    private var contributions: Schema {
        Schema(
            type: [.object],
            description: "With `?contributions=true`: one entry per model feature (`model_features` of the model's description) with its exact TreeSHAP contribution to the raw score, then `expected_value`, the model's mean raw score. They sum to the raw score, the log-odds of `probability_of_default`. The same numbers as LightGBM's `pred_contrib`, at full precision.",
            properties: ["expected_value": Schema(type: [.number])], required: ["expected_value"],
            additionalProperties: .schema(Schema(type: [.number])))
    }

    private var requestedOutput: Schema {
        Schema(type: [.object], properties: [
            "name": Schema(type: [.string], allowedValues: ["probability_of_default", "decision", "contributions", "reasons"]),
            "parameters": Schema(type: [.object], properties: [
                "count": Schema(type: [.integer], description: "`reasons` only: how many columns (default 4).", minimum: 1, maximum: Double(ExplainQuery.maximumReasons)),
            ]),
        ], required: ["name"])
    }

    private var problem: Schema {
        Schema(type: [.object], properties: [
            "type": Schema(type: [.string]), "title": Schema(type: [.string]), "status": Schema(type: [.integer]), "detail": Schema(type: [.string]),
            "limit": Schema(type: [.integer]),
            "input_changes": Schema(type: [.object], description: "A refused promotion: inputs `added`, `removed` and `retyped` against the champion's."),
            "golden_rows": Schema(type: [.object], description: "A refused promotion: the golden rows that did not reproduce."),
            "errors": Schema(type: [.array], items: Schema(type: [.object], properties: [
                "applicant": Schema(type: [.integer]), "field": Schema(type: [.string]), "value": Schema(type: [.string, .null]), "message": Schema(type: [.string]),
            ], required: ["applicant", "field", "message"])),
        ], required: ["type", "title", "status", "detail"])
    }

    /// One model's applicant: its inputs typed from the schema. Out-of-range values and
    /// unseen categories are scored with a warning, so ranges are described, not enforced.
    private func applicant(_ bundle: ModelBundle) -> Schema {
        var properties: [String: Schema] = [:]
        for spec in bundle.schema.features {
            // One sentence with the unit, then the range: "… loan (USD). Seen in training: …".
            var description = spec.description ?? spec.name
            if description.hasSuffix(".") { description.removeLast() }
            if let unit = spec.unit, !unit.isEmpty { description += " (\(unit))" }
            description += "."
            var property: Schema
            switch spec.kind {
            case .categorical:
                // Integer codes pass to the model as they are, seen in training or not: no enum.
                property = spec.integerCodes == true
                    ? Schema(type: [.integer, .string, .null]) : Schema(allowedValues: (spec.categories ?? []).map(OpenAPI.Value.string) + [nil])
            case .numeric, .integer:
                property = Schema(type: [spec.kind == .integer ? .integer : .number, .string, .null])
                if let low = spec.minimum, let high = spec.maximum {
                    description += " Seen in training: \(Formatting.number(low)) to \(Formatting.number(high)); values outside get a warning."
                }
            }
            property.description = description
            property.examples = [Self.exampleValue(spec)]
            properties[spec.name] = property
        }
        if let id = bundle.schema.idColumn {
            properties[id] = Schema(type: [.string, .null], description: "The applicant's id, returned with the result.")
        }
        return Schema(
            type: [.object], description: "An applicant for \(bundle.title). Every input may be omitted or null (missing).", properties: properties,
            additionalProperties: .allowed(true))
    }
}
