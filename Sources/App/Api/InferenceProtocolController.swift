import Foundation
import HTTPTypes
import Hummingbird
import Scoring

/// The Open Inference Protocol (v2, the KServe/Triton REST API), so existing inference
/// clients work unchanged: one input tensor per model input — FP64 for numeric inputs,
/// BYTES for categorical ones — and outputs `probability_of_default` (FP64) and `decision`
/// (BYTES), plus `contributions` and `reasons` when asked (`InferenceOutputs`). Errors are
/// `{"error": "…"}` as the protocol specifies.
struct InferenceProtocolController {
    let registry: ModelRegistry
    let configuration: AppConfiguration
    /// Scorers (and their reason writers) built once per model, not per request.

    struct ProtocolError: Error {
        let status: HTTPResponse.Status
        let message: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/v2") { _, _ in
            try Self.respond(["name": JSONValueEncodable.string("loanrisk"), "version": .string("1"), "extensions": .array([])])
        }
        router.get("/v2/health/live") { _, _ in try Self.respond(["live": true]) }
        router.get("/v2/health/ready") { _, _ in try Self.respond(["ready": true]) }
        router.get("/v2/models/:name") { _, context in
            try guarded {
                let bundle = try bundle(context)
                return try Self.respond(Metadata(bundle, canExplain: !bundle.model.hasLinearLeaves))
            }
        }
        router.get("/v2/models/:name/ready") { _, context in try guarded { _ = try bundle(context); return try Self.respond(["ready": true]) } }
        router.post("/v2/models/:name/infer") { request, context in
            try await guardedAsync { try await infer(request, bundle: try bundle(context)) }
        }
    }

    private func bundle(_ context: AppRequestContext) throws -> ModelBundle {
        let name = context.parameters.get("name") ?? ""
        guard let bundle = registry.bundle(named: name) else { throw ProtocolError(status: .notFound, message: "Model '\(name)' is not served here.") }
        return bundle
    }

    private func guarded(_ body: () throws -> Response) throws -> Response {
        do { return try body() } catch let error as ProtocolError { return Self.failure(error) }
    }

    private func guardedAsync(_ body: () async throws -> Response) async throws -> Response {
        do { return try await body() } catch let error as ProtocolError { return Self.failure(error) }
    }

    static func failure(_ error: ProtocolError) -> Response {
        let body = (try? JSONEncoder().encode(["error": error.message])) ?? Data()
        return Response(status: error.status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    static func respond(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
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

    private func infer(_ request: Request, bundle: ModelBundle) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxUploadBytes)
        } catch {
            throw ProtocolError(status: .contentTooLarge, message: "The request is larger than \(configuration.maxUploadMB) MB.")
        }
        if let binaryHeader = HTTPField.Name("Inference-Header-Content-Length"), request.headers[binaryHeader] != nil {
            throw ProtocolError(status: .badRequest, message: "The binary tensor extension is not supported: send JSON tensors (tritonclient: binary_data=False).")
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(Array(body.readableBytesView))
        } catch {
            throw ProtocolError(status: .badRequest, message: "Invalid JSON: \(error.message) at byte \(error.offset).")
        }
        guard case .object(let root) = json, case .array(let inputs)? = root["inputs"] else {
            throw ProtocolError(status: .badRequest, message: "The request needs an 'inputs' array of tensors.")
        }
        let scorer = BatchScorer(bundle: bundle)
        let outputs = try InferenceOutputs(root["outputs"], bundle: bundle, canExplain: scorer.canExplain)
        let (cells, rowCount) = try tensors(inputs, bundle: bundle)
        guard rowCount <= configuration.apiBatchLimit else {
            throw ProtocolError(status: .contentTooLarge, message: "At most \(configuration.apiBatchLimit) rows per request; this one has \(rowCount).")
        }
        let outcomes = scorer.score(applicants: cells, explain: outputs.explain, threads: configuration.threads)
        if let (row, outcome) = outcomes.enumerated().first(where: { !$0.element.isValid }) {
            throw ProtocolError(status: .badRequest, message: "Row \(row): \(outcome.issues.filter { $0.severity == .error }.map(\.message).joined(separator: " "))")
        }
        var response: [String: JSONValueEncodable] = [
            "model_name": .string(bundle.name), "model_version": .string(bundle.version),
            "outputs": .array(outputs.tensors(outcomes, featureCount: bundle.model.featureCount)),
        ]
        if case .string(let id)? = root["id"] { response["id"] = .string(id) }
        return try Self.respond(response)
    }

    /// Reads the input tensors into one cell dictionary per row; every tensor must have the
    /// same length, and each must be a model input with the datatype its kind expects.
    private func tensors(_ inputs: [JSONValue], bundle: ModelBundle) throws -> (cells: [[String: String]], rows: Int) {
        let kinds = Dictionary(uniqueKeysWithValues: bundle.schema.features.map { ($0.name, $0.kind) })
        var columns: [String: [String]] = [:]
        var rows: Int?
        for input in inputs {
            guard case .object(let tensor) = input, case .string(let name)? = tensor["name"], case .array(let data)? = tensor["data"] else {
                throw ProtocolError(status: .badRequest, message: "Every input needs a 'name' and a flat 'data' array.")
            }
            guard let kind = kinds[name] else {
                throw ProtocolError(status: .badRequest, message: "'\(name)' is not an input of \(bundle.name); GET /v2/models/\(bundle.name) lists them.")
            }
            let expected = kind == .categorical ? "BYTES" : "FP64"
            if case .string(let datatype)? = tensor["datatype"], datatype != expected, !(kind != .categorical && ["FP32", "INT32", "INT64"].contains(datatype)) {
                throw ProtocolError(status: .badRequest, message: "'\(name)' must be \(expected), not \(datatype).")
            }
            let values = try data.map { value -> String in
                guard let text = ApplicantJSON.text(value) else {
                    throw ProtocolError(status: .badRequest, message: "'\(name)' data must be a flat array of scalars.")
                }
                return text
            }
            if case .array(let shape)? = tensor["shape"] {
                let dimensions = shape.compactMap { value -> Int? in if case .number(let n) = value { return Int(n) } else { return nil } }
                guard dimensions.count == shape.count, dimensions.reduce(1, *) == values.count else {
                    throw ProtocolError(status: .badRequest, message: "'\(name)' declares shape \(dimensions) but carries \(values.count) values.")
                }
            }
            if let rows, rows != values.count {
                throw ProtocolError(status: .badRequest, message: "All inputs must have the same length: '\(name)' has \(values.count), others \(rows).")
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
