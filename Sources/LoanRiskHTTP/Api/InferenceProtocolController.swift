import Foundation
import HTTPTypes
import Hummingbird
import LoanRiskCore
import Scoring

/// The Open Inference Protocol (v2, the KServe/Triton REST API), so existing inference
/// clients work unchanged: one input tensor per model input — FP64 (or any number type) for
/// numeric inputs, BYTES for categorical ones — in JSON or with Triton's binary tensor data
/// extension (`InferenceRequestBody`), and outputs `probability_of_default` (FP64) and
/// `decision` (BYTES), plus `contributions` and `reasons` when asked (`InferenceOutputs`), in
/// JSON or binary as asked (`InferenceResponseBody`). `InferenceCore` does the scoring, as it
/// does for gRPC. Errors are `{"error": "…"}` as the protocol specifies (`InferenceErrorMiddleware`).
struct InferenceProtocolController {
    let core: InferenceCore
    /// The largest body read (`MAX_UPLOAD_MB`).
    let maxUploadBytes: Int
    /// How slow a body may arrive, and where a large one is spooled.
    let connections: ConnectionSettings

    /// Routes relative to the `/v2` group, whose `InferenceErrorMiddleware` answers errors.
    func addRoutes(to v2: some RouterMethods<AppRequestContext>) {
        v2.get("") { _, _ in
            JSONAnswer(ServerMetadata(name: "loanrisk", version: "1", extensions: InferenceCore.restExtensions))
        }
        v2.get("health/live") { _, _ in JSONAnswer(["live": true]) }
        v2.get("health/ready") { _, _ in JSONAnswer(["ready": true]) }
        v2.get("models/:name") { _, context in
            JSONAnswer(ModelMetadata(try serving(context).champion))
        }
        v2.get("models/:name/ready") { _, context in
            _ = try serving(context)
            return JSONAnswer(["ready": true])
        }
        v2.post("models/:name/infer") { request, context in try await infer(request, serving: try serving(context), caller: context.principal?.caller) }
    }

    struct ServerMetadata: Encodable {
        let name: String
        let version: String
        let extensions: [String]
    }

    private func serving(_ context: AppRequestContext) throws(InferenceError) -> ModelRegistry.Serving {
        try core.serving(named: context.parameters.get("name") ?? "")
    }

    private func infer(_ request: Request, serving: ModelRegistry.Serving, caller: String?) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await SpooledBody.collect(request, limit: maxUploadBytes, settings: connections)
        } catch is SpooledBody.TooLarge {
            throw InferenceError(status: .contentTooLarge, message: "The request is larger than \(maxUploadBytes / 1_048_576) MB.")
        }
        let headerLength = InferenceResponseBody.headerLengthField.flatMap { request.headers[$0] }
        let parsed = try InferenceRequestBody(Array(body.readableBytesView), headerLength: headerLength)
        let answer = try await core.infer(parsed.call, serving: serving, caller: caller)
        return try InferenceResponseBody(answer: answer, binaryOutputs: parsed.binaryOutputs).response()
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
