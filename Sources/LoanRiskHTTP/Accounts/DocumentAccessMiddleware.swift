import Hummingbird
import LoanRiskCore

/// Guards what describes the API (`/openapi.json`): a signed-in browser (the docs page links
/// it) or a system with a key may read it; anyone else gets `401` with `WWW-Authenticate`.
struct DocumentAccessMiddleware: RouterMiddleware {
    let sessions: SessionStore
    let required: Bool
    /// The key check of the machine surfaces.
    let auth: MachineAuth

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        guard required else {
            context.principal = SessionMiddleware.trialPrincipal
            return try await next(request, context)
        }
        if let token = SessionCookie.token(in: request, context: context), let account = try await sessions.account(for: token) {
            context.principal = account.principal
        } else if case .granted(let grant) = auth.authenticate(MachineAuth.bearer(request.headers[.authorization]), address: context.clientAddress) {
            context.principal = grant.principal
        } else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: #"Bearer realm="loanrisk""#],
                message: "Sign in, or send an API key as 'Authorization: Bearer <key>'.")
        }
        return try await next(request, context)
    }
}
