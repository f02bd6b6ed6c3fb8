import Foundation
import GRPCCore
import LoanRiskCore
import Logging

/// The key check of the gRPC surface: every call carries `authorization: Bearer <key>`
/// metadata, checked against the same keys as HTTP (`MachineAuth`) and needing scope `grpc`.
/// No key, or one unknown, expired or revoked: UNAUTHENTICATED; a key without the scope:
/// PERMISSION_DENIED; over its rate, or the address past its wrong guesses: RESOURCE_EXHAUSTED.
/// The grant is handed to the service through `GRPCCaller.grant` (a task-local value: unary
/// handlers run inside the interceptor's call), where the model is checked and the caller
/// recorded. `required: false` (the lead's `AUTH=off`) lets every call in.
struct GRPCAuthInterceptor: ServerInterceptor {
    let auth: MachineAuth
    let required: Bool
    let logger: Logger

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard required else { return try await next(request, context) }
        let header = request.metadata[stringValues: "authorization"].first(where: { _ in true })
        let address = Self.address(context.remotePeer)
        switch auth.authenticate(MachineAuth.bearer(header), address: address) {
        case .missing:
            throw RPCError(code: .unauthenticated, message: "Send an API key as 'authorization: Bearer <key>' metadata.")
        case .refused:
            logger.notice("api key refused", metadata: ["address": .string(address), "method": .string(context.descriptor.fullyQualifiedMethod)])
            throw RPCError(code: .unauthenticated, message: "The key is not valid: unknown, expired or revoked.")
        case .limited(let wait, let reason):
            throw RPCError(code: .resourceExhausted, message: "\(reason) (retry after \(wait) s)")
        case .granted(let grant):
            guard grant.scopes.has(.grpc) else {
                throw RPCError(code: .permissionDenied, message: "This key may not use gRPC; its scopes do not include grpc.")
            }
            return try await GRPCCaller.$grant.withValue(grant) { try await next(request, context) }
        }
    }

    /// The address in gRPC's peer description (`ipv4:127.0.0.1:50312`, `ipv6:[::1]:50312`).
    static func address(_ peer: String) -> String {
        var text = Substring(peer)
        for scheme in ["ipv4:", "ipv6:"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { return String(text[text.index(after: text.startIndex)..<end]) }
        if let colon = text.lastIndex(of: ":") { return String(text[..<colon]) }
        return String(text)
    }
}

/// Who the current gRPC call comes from, set by `GRPCAuthInterceptor`; nil when keys are off.
enum GRPCCaller {
    @TaskLocal static var grant: APIKeyGrant?

    /// Refuses a model the call's key may not use.
    static func check(model: String) throws(RPCError) {
        if let grant, !grant.mayUse(model: model) {
            throw RPCError(code: .permissionDenied, message: "This key may not use the model '\(model)'.")
        }
    }
}
