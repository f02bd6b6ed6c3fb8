import Foundation
import Hummingbird
import LoanRiskCore
import Logging

/// Single sign-on with the OpenID provider of `OIDC_ISSUER`: `GET /sign-in/oidc` sends the
/// browser to the provider (authorization code with PKCE), `GET /sign-in/oidc/callback`
/// takes it back, verifies who the provider says it is and signs them in with the role their
/// groups give. The pending sign-in (state, nonce, PKCE verifier, the page to return to)
/// waits in a signed ten-minute cookie (`CookieSecurity`: `__Host-` and `Secure` over TLS) with `SameSite=Lax`, because the
/// provider's redirect back is a cross-site navigation that a `Strict` cookie would miss.
/// Every failure is a page that says what to do; the log says why, without tokens or codes.
struct OIDCSignInController {
    static let cookieName = "loanrisk_oidc"

    let client: OIDCClient
    let accounts: AccountService
    let errorPages: ErrorPageMiddleware

    init(settings: OIDCSettings, accounts: AccountService, errorPages: ErrorPageMiddleware, logger: Logger) {
        client = OIDCClient(settings: settings, logger: logger)
        self.accounts = accounts
        self.errorPages = errorPages
    }

    /// The sign-in page's button.
    var link: SignInPage.SingleSignOnLink {
        SignInPage.SingleSignOnLink(href: "/sign-in/oidc", label: "Sign in with \(client.settings.providerName)")
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("sign-in/oidc", use: start)
        group.get("sign-in/oidc/callback", use: callback)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let returnTo = SignInTarget.resolve(request.uri.queryParameters.get("next"))
        let url: String
        let pending: PendingSignIn
        do {
            (url, pending) = try await client.start(returnTo: returnTo)
        } catch {
            return refusal(error, context: context)
        }
        let sealed = try await client.settings.sealKey.seal(pending)
        var response = Response(status: .seeOther, headers: [.location: url, .cacheControl: "no-store"])
        response.setCookie(CookieSecurity.cookie(name: Self.cookieName, value: sealed, overTLS: context.overTLS, sameSite: .lax, maxAge: Int(PendingSignIn.lifetime)))
        return response
    }

    @Sendable func callback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let cookie = CookieSecurity.value(Self.cookieName, in: request, overTLS: context.overTLS)
        let identity: VerifiedIdentity
        let returnTo: String
        do throws(OIDCError) {
            if let error = query.get("error") { throw .providerRefused(Self.shown(error)) }
            guard let code = query.get("code"), let state = query.get("state"), let cookie else { throw .signInExpired }
            let pending = try await client.settings.sealKey.open(cookie)
            identity = try await client.finish(code: code, state: state, pending: pending)
            returnTo = pending.returnTo
        } catch {
            var response = refusal(error, context: context)
            response.setCookie(clearCookie(context))
            return response
        }
        var response = try await signIn(identity, returnTo: returnTo, request: request, context: context)
        // One use: the pending sign-in is gone from the browser once it has served.
        response.setCookie(clearCookie(context))
        return response
    }

    /// The account of the verified person (created at their first sign-in, its role and team
    /// following their groups each time after), a new session, and the page they asked for.
    private func signIn(_ identity: VerifiedIdentity, returnTo: String, request: Request, context: AppRequestContext) async throws -> Response {
        let account: Account
        switch try await accounts.accounts.teamCreatingIfMissing(named: identity.teamName) {
        case .failure(let error):
            return refusal(account: identity.preferredName, error, context: context)
        case .success(let team):
            switch try await accounts.accounts.signInFederated(
                issuer: identity.issuer, subject: identity.subject, name: identity.preferredName, displayName: identity.name ?? "", role: identity.role,
                teamID: team.id)
            {
            case .failure(let error): return refusal(account: identity.preferredName, error, context: context)
            case .success(let signedIn): account = signedIn
            }
        }
        let address = context.clientAddress
        let started = try await accounts.sessions.start(for: account, address: address, replacing: SessionCookie.token(in: request, context: context))
        context.logger.info(
            "signed in", metadata: ["account": .string(account.name), "address": .string(address), "via": "oidc", "role": .string(account.role.rawValue)])
        var response = Response.redirect(to: SignInTarget.resolve(returnTo), type: .normal)
        SessionCookie.set(started.token, expires: started.expiresAt, on: &response, overTLS: context.overTLS)
        return response
    }

    private func refusal(account: String, _ error: AccountError, context: AppRequestContext) -> Response {
        context.logger.notice("oidc: sign-in refused", metadata: ["account": .string(account), "reason": .string("\(error)")])
        var response = errorPages.page(status: .forbidden, message: error.message, context: context)
        response.setCookie(clearCookie(context))
        return response
    }

    private func clearCookie(_ context: AppRequestContext) -> Cookie {
        CookieSecurity.expired(name: Self.cookieName, overTLS: context.overTLS, sameSite: .lax)
    }

    /// The page that explains why the sign-in did not happen; the log line says why for the operator.
    private func refusal(_ error: OIDCError, context: AppRequestContext) -> Response {
        context.logger.notice("oidc: sign-in refused", metadata: ["reason": .string(error.logDetail)])
        let status: HTTPResponse.Status =
            switch error {
            case .providerUnavailable: .badGateway
            case .noRole: .forbidden
            case .providerRefused, .signInExpired, .invalidToken: .badRequest
            }
        return errorPages.page(status: status, message: error.message, context: context)
    }

    /// An OAuth error code as the page may show it: its own short, plain form only.
    static func shown(_ error: String) -> String {
        let plain = error.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
        return String(String.UnicodeScalarView(plain.prefix(40)))
    }
}
