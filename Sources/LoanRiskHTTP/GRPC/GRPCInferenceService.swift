import GRPCCore
import HTTPTypes
import InferenceGRPC
import LoanRiskCore
import Logging

/// The KServe v2 gRPC protocol (`inference.GRPCInferenceService`), answered by the same
/// `InferenceCore` as REST `/v2`: health, server and model metadata, and `ModelInfer` with
/// typed or raw tensor contents. Errors are gRPC statuses with the core's message
/// (invalid argument for what the client must change, not found for an unknown model).
struct GRPCInferenceService: Inference_GRPCInferenceService.SimpleServiceProtocol {
    let core: InferenceCore
    let logger: Logger

    func serverLive(request: Inference_ServerLiveRequest, context: ServerContext) async throws -> Inference_ServerLiveResponse {
        .with { $0.live = true }
    }

    func serverReady(request: Inference_ServerReadyRequest, context: ServerContext) async throws -> Inference_ServerReadyResponse {
        .with { $0.ready = true }
    }

    /// An unknown model is not ready (rather than an error), as REST's 404 reads to a client.
    func modelReady(request: Inference_ModelReadyRequest, context: ServerContext) async throws -> Inference_ModelReadyResponse {
        .with { $0.ready = core.registry.serving(named: request.name) != nil }
    }

    func serverMetadata(request: Inference_ServerMetadataRequest, context: ServerContext) async throws -> Inference_ServerMetadataResponse {
        .with {
            $0.name = "loanrisk"
            $0.version = "1"
            $0.extensions = InferenceCore.grpcExtensions
        }
    }

    func modelMetadata(request: Inference_ModelMetadataRequest, context: ServerContext) async throws -> Inference_ModelMetadataResponse {
        try GRPCCaller.check(model: request.name)
        let metadata = try answering { () throws(InferenceError) in ModelMetadata(try core.serving(named: request.name).champion) }
        func tensors(_ list: [ModelMetadata.Tensor]) -> [Inference_ModelMetadataResponse.TensorMetadata] {
            list.map { tensor in
                .with {
                    $0.name = tensor.name
                    $0.datatype = tensor.datatype
                    $0.shape = tensor.shape.map { Int64($0) }
                }
            }
        }
        return .with {
            $0.name = metadata.name
            $0.versions = metadata.versions
            $0.platform = metadata.platform
            $0.inputs = tensors(metadata.inputs)
            $0.outputs = tensors(metadata.outputs)
        }
    }

    /// Answers raw output contents when the inputs came raw (tritonclient reads only those for
    /// numbers), typed contents when they came typed. The answer's initial metadata carries
    /// `x-request-id`, the audit records' request id, as REST's `X-Request-Id` header does.
    func modelInfer(
        request: ServerRequest<Inference_ModelInferRequest>, context: ServerContext
    ) async throws -> ServerResponse<Inference_ModelInferResponse> {
        let (response, requestID) = try await infer(request.message)
        return ServerResponse(message: response, metadata: [HTTPField.Name.requestID.canonicalName: .string(requestID)])
    }

    /// The same answer without its metadata (the protocol's simple form).
    func modelInfer(request: Inference_ModelInferRequest, context: ServerContext) async throws -> Inference_ModelInferResponse {
        try await infer(request).response
    }

    private func infer(_ request: Inference_ModelInferRequest) async throws -> (response: Inference_ModelInferResponse, requestID: String) {
        do {
            try GRPCCaller.check(model: request.modelName)
            let serving = try core.serving(named: request.modelName)
            let answer = try await core.infer(try InferenceCall(request), serving: serving, caller: GRPCCaller.grant?.principal.caller)
            return (Inference_ModelInferResponse(answer, raw: !request.rawInputContents.isEmpty), answer.requestID)
        } catch let error as InferenceError {
            throw Self.status(error)
        } catch let error as RPCError {
            throw error
        } catch {
            logger.error("unhandled gRPC inference error", metadata: ["error": .string(String(describing: type(of: error)))])
            throw RPCError(code: .internalError, message: "Something went wrong on our side; please try again.")
        }
    }

    private func answering<T>(_ body: () throws(InferenceError) -> T) throws(RPCError) -> T {
        do { return try body() } catch { throw Self.status(error) }
    }

    /// The gRPC status for a protocol error's HTTP status.
    static func status(_ error: InferenceError) -> RPCError {
        switch error.status.code {
        case 404: return RPCError(code: .notFound, message: error.message)
        case 413: return RPCError(code: .resourceExhausted, message: error.message)
        case 400..<500: return RPCError(code: .invalidArgument, message: error.message)
        default: return RPCError(code: .internalError, message: error.message)
        }
    }
}
