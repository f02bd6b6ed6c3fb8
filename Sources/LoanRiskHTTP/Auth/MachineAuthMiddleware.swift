import Foundation
import HTTPTypes
import Hummingbird
import LoanRiskCore
import NIOCore

/// Lets a request into a machine surface — `/api/v1`, `/v2` or `/admin/v1` — when it carries
/// a key (`Authorization: Bearer <key>`) with the surface's scope and, on a model's route, the
/// right to use that model; sets `context.principal`. A missing, unknown, expired or revoked
/// key is a 401 with `WWW-Authenticate: Bearer realm="loanrisk"`; a key without the scope or
/// the model a 403; a key over its rate, or an address past its wrong guesses, a 429 with
/// `Retry-After`. Answers are problem+json, or the protocol's `{"error": …}` on `/v2`.
/// `required: false` (the lead's `AUTH=off`, loopback only) lets every request in, with no
/// principal.
package struct MachineAuthMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext

    /// Which surface this guards, and so which scope it needs and how it answers.
    package enum Surface: Sendable {
        /// `/api/v1`: scope `predict`.
        case api
        /// `/v2`: scope `oip`.
        case inference
        /// `/admin/v1`: scope `admin`, or `models` under `/admin/v1/models`.
        case admin
    }

    package let auth: MachineAuth
    package let surface: Surface
    package let required: Bool
    /// The model a route without `:name` scores (`/api/v1/predict`): the registry's default.
    package let defaultModel: @Sendable () -> String

    package init(auth: MachineAuth, surface: Surface, required: Bool = true, defaultModel: @escaping @Sendable () -> String) {
        self.auth = auth
        self.surface = surface
        self.required = required
        self.defaultModel = defaultModel
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard required else { return try await next(request, context) }
        let address = context.clientAddress
        switch auth.authenticate(MachineAuth.bearer(request.headers[.authorization]), address: address) {
        case .missing:
            return refusal(.unauthorized, "Send an API key as 'Authorization: Bearer <key>' (an admin creates one: loanrisk keys create).", authenticate: true)
        case .refused:
            context.logger.notice("api key refused", metadata: ["address": .string(address), "path": .string(request.uri.path)])
            return refusal(.unauthorized, "The key is not valid: unknown, expired or revoked.", authenticate: true)
        case .limited(let wait, let reason):
            var response = refusal(.tooManyRequests, reason)
            response.headers[.retryAfter] = String(wait)
            return response
        case .granted(let grant):
            guard scopeAllowed(grant.scopes, path: request.uri.path) else {
                return refusal(.forbidden, "This key may not use \(surfaceName(request.uri.path)); its scopes do not include it.")
            }
            if let model = model(request, context: context), !grant.mayUse(model: model) {
                return refusal(.forbidden, "This key may not use the model '\(model)'.")
            }
            var context = context
            context.principal = grant.principal
            // The registry's history names an admin token by its label, as it always has.
            context.actor = grant.principal.kind == .adminToken ? grant.principal.name : grant.principal.caller
            return try await next(request, context)
        }
    }

    private func scopeAllowed(_ scopes: APIKeyScopes, path: String) -> Bool {
        switch surface {
        case .api: scopes.has(.predict)
        case .inference: scopes.has(.oip)
        case .admin: scopes.has(.admin) || (Self.isRegistryPath(path) && scopes.has(.models))
        }
    }

    private func surfaceName(_ path: String) -> String {
        switch surface {
        case .api: "/api/v1 (scope predict)"
        case .inference: "/v2 (scope oip)"
        case .admin: Self.isRegistryPath(path) ? "the model registry (scope models or admin)" : "/admin/v1 (scope admin)"
        }
    }

    static func isRegistryPath(_ path: String) -> Bool {
        path == "/admin/v1/models" || path.hasPrefix("/admin/v1/models/")
    }

    /// The model a request uses: its route's `:name`, or the default model for `/api/v1/predict`.
    private func model(_ request: Request, context: Context) -> String? {
        if let name = context.parameters.get("name") { return name }
        if surface == .api, request.uri.path.hasSuffix("/predict") { return defaultModel() }
        return nil
    }

    private func refusal(_ status: HTTPResponse.Status, _ message: String, authenticate: Bool = false) -> Response {
        var response = surface == .inference
            ? InferenceError(status: status, message: message).response : ProblemDetails(status: status, detail: message).response
        if authenticate { response.headers[.wwwAuthenticate] = Self.challenge }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    package static let challenge = #"Bearer realm="loanrisk""#
}
