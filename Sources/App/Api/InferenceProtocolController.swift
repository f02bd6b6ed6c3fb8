import Foundation
import HTTPTypes
import Hummingbird
import Scoring

/// The Open Inference Protocol (v2, the KServe/Triton REST API), so existing inference
/// clients work unchanged: one input tensor per model input — FP64 for numeric inputs,
/// BYTES for categorical ones — and outputs `probability_of_default` (FP64) and `decision`
/// (BYTES), plus `contributions` and `reasons` when asked (`InferenceOutputs`). Errors are
/// `{"error": "…"}` as the protocol specifies (`InferenceErrorMiddleware`).
struct InferenceProtocolController {
    let registry: ModelRegistry
    let configuration: AppConfiguration
    let audit: AuditTrail
    let shadow: ShadowScorer

    /// Routes relative to the `/v2` group, whose `InferenceErrorMiddleware` answers errors.
    func addRoutes(to v2: some RouterMethods<AppRequestContext>) {
        v2.get("") { _, _ in
            JSONAnswer(["name": JSONValueEncodable.string("loanrisk"), "version": .string("1"), "extensions": .array([])])
        }
        v2.get("health/live") { _, _ in JSONAnswer(["live": true]) }
        v2.get("health/ready") { _, _ in JSONAnswer(["ready": true]) }
        v2.get("models/:name") { _, context in
            let bundle = try bundle(context)
            return JSONAnswer(Metadata(bundle, canExplain: !bundle.model.hasLinearLeaves))
        }
        v2.get("models/:name/ready") { _, context in
            _ = try bundle(context)
            return JSONAnswer(["ready": true])
        }
        v2.post("models/:name/infer") { request, context in try await infer(request, serving: try serving(context)) }
    }

    private func bundle(_ context: AppRequestContext) throws(InferenceError) -> ModelBundle {
        try serving(context).champion
    }

    /// The model's champion and challenger, taken once for the whole request.
    private func serving(_ context: AppRequestContext) throws(InferenceError) -> ModelRegistry.Serving {
        let name = context.parameters.get("name") ?? ""
        guard let serving = registry.serving(named: name) else { throw InferenceError(status: .notFound, message: "Model '\(name)' is not served here.") }
        return serving
    }

    /// Model metadata: the input tensors a client must send and the outputs it gets.
    struct Metadata: Encodable {
        struct Tensor: Encodable {
            let name: String
            let datatype: String
            let shape: [Int]
        }

        let name: String
        let versions: [String]
        let platform = "lightgbm"
        let inputs: [Tensor]
        let outputs: [Tensor]

        init(_ bundle: ModelBundle, canExplain: Bool) {
            name = bundle.name
            versions = [bundle.version]
            inputs = bundle.schema.features.map { Tensor(name: $0.name, datatype: $0.kind == .categorical ? "BYTES" : "FP64", shape: [-1]) }
            outputs = InferenceOutputs.metadata(featureCount: bundle.model.featureCount, canExplain: canExplain)
        }
    }

    private func infer(_ request: Request, serving: ModelRegistry.Serving) async throws -> Response {
        let bundle = serving.champion
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxUploadBytes)
        } catch {
            throw InferenceError(status: .contentTooLarge, message: "The request is larger than \(configuration.maxUploadMB) MB.")
        }
        if let binaryHeader = HTTPField.Name("Inference-Header-Content-Length"), request.headers[binaryHeader] != nil {
            throw InferenceError(status: .badRequest, message: "The binary tensor extension is not supported: send JSON tensors (tritonclient: binary_data=False).")
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(Array(body.readableBytesView))
        } catch {
            throw InferenceError(status: .badRequest, message: "Invalid JSON: \(error.message) at byte \(error.offset).")
        }
        guard case .object(let root) = json, case .array(let inputs)? = root["inputs"] else {
            throw InferenceError(status: .badRequest, message: "The request needs an 'inputs' array of tensors.")
        }
        let scorer = BatchScorer(bundle: bundle)
        let outputs = try InferenceOutputs(root["outputs"], bundle: bundle, canExplain: scorer.canExplain)
        let (cells, rowCount) = try tensors(inputs, bundle: bundle)
        guard rowCount <= configuration.apiBatchLimit else {
            throw InferenceError(status: .contentTooLarge, message: "At most \(configuration.apiBatchLimit) rows per request; this one has \(rowCount).")
        }
        let outcomes = scorer.score(applicants: cells, explain: outputs.explain, threads: configuration.threads)
        if let (row, outcome) = outcomes.enumerated().first(where: { !$0.element.isValid }) {
            throw InferenceError(status: .badRequest, message: "Row \(row): \(outcome.issues.filter { $0.severity == .error }.map(\.message).joined(separator: " "))")
        }
        var response: [String: JSONValueEncodable] = [
            "model_name": .string(bundle.name), "model_version": .string(bundle.version),
            "outputs": .array(outputs.tensors(outcomes, featureCount: bundle.model.featureCount)),
        ]
        if case .string(let id)? = root["id"] { response["id"] = .string(id) }
        let requestID = AuditTrail.newRequestID()
        try await audit.record(outcomes, applicantIDs: [], bundle: bundle, channel: .oip, requestID: requestID, samples: .applicants(cells, outcomes))
        if let challenger = serving.challenger {
            shadow.submit(.applicants(.init(champion: bundle, challenger: challenger, channel: .oip, requestID: requestID), cells: cells, champion: outcomes))
        }
        var answer = try JSONAnswer(response).response()
        answer.headers[AuditTrail.requestIDHeader] = requestID
        return answer
    }

    /// Reads the input tensors into one cell dictionary per row; every tensor must have the
    /// same length, and each must be a model input with the datatype its kind expects.
    private func tensors(_ inputs: [JSONValue], bundle: ModelBundle) throws -> (cells: [[String: String]], rows: Int) {
        let kinds = Dictionary(uniqueKeysWithValues: bundle.schema.features.map { ($0.name, $0.kind) })
        var columns: [String: [String]] = [:]
        var rows: Int?
        for input in inputs {
            guard case .object(let tensor) = input, case .string(let name)? = tensor["name"], case .array(let data)? = tensor["data"] else {
                throw InferenceError(status: .badRequest, message: "Every input needs a 'name' and a flat 'data' array.")
            }
            guard let kind = kinds[name] else {
                throw InferenceError(status: .badRequest, message: "'\(name)' is not an input of \(bundle.name); GET /v2/models/\(bundle.name) lists them.")
            }
            let expected = kind == .categorical ? "BYTES" : "FP64"
            if case .string(let datatype)? = tensor["datatype"], datatype != expected, !(kind != .categorical && ["FP32", "INT32", "INT64"].contains(datatype)) {
                throw InferenceError(status: .badRequest, message: "'\(name)' must be \(expected), not \(datatype).")
            }
            let values = try data.map { value -> String in
                guard let text = ApplicantJSON.text(value) else {
                    throw InferenceError(status: .badRequest, message: "'\(name)' data must be a flat array of scalars.")
                }
                return text
            }
            if case .array(let shape)? = tensor["shape"] {
                let dimensions = shape.compactMap { value -> Int? in if case .number(let n) = value { return Int(n) } else { return nil } }
                guard dimensions.count == shape.count, dimensions.reduce(1, *) == values.count else {
                    throw InferenceError(status: .badRequest, message: "'\(name)' declares shape \(dimensions) but carries \(values.count) values.")
                }
            }
            if let rows, rows != values.count {
                throw InferenceError(status: .badRequest, message: "All inputs must have the same length: '\(name)' has \(values.count), others \(rows).")
            }
            rows = values.count
            columns[name] = values
        }
        let count = rows ?? 0
        let cells = (0..<count).map { row in columns.mapValues { $0[row] } }
        return (cells, count)
    }
}

/// A JSON value built for responses (doubles are written by JSONEncoder, shortest round-trip;
/// a non-finite one, which JSON cannot hold, as null rather than failing the answer).
enum JSONValueEncodable: Encodable {
    case string(String)
    case double(Double)
    case int(Int)
    case array([JSONValueEncodable])
    case object([String: JSONValueEncodable])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .double(let d): if d.isFinite { try container.encode(d) } else { try container.encodeNil() }
        case .int(let i): try container.encode(i)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}
