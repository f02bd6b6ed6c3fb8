import Foundation
import Hummingbird
import LoanRiskCore

/// Double-submit CSRF protection: each browser gets a random token in a `SameSite=Strict`,
/// `HttpOnly` cookie (`__Host-loanrisk_csrf` and `Secure` over TLS, `CookieSecurity`); forms
/// that change state carry the same token in a hidden field, and the
/// handler checks the two match (`CSRF.check`). Another site can neither read the cookie nor
/// make the browser send it. Added to the pages' route group only: machine surfaces have
/// no forms and no browser session, so they get no cookie.
struct CSRFMiddleware: RouterMiddleware {
    /// The cookie's base name; `CookieSecurity` gives its name on a request.
    static let cookieName = "loanrisk_csrf"

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let existing = CookieSecurity.value(Self.cookieName, in: request, overTLS: context.overTLS)
        let token = existing.flatMap { CSRF.isWellFormed($0) ? $0 : nil } ?? CSRF.newToken()
        context.csrfToken = token
        var response = try await next(request, context)
        if existing != token {
            response.setCookie(CookieSecurity.cookie(name: Self.cookieName, value: token, overTLS: context.overTLS, sameSite: .strict))
        }
        return response
    }
}

enum CSRF {
    static let expiredMessage = "This form has expired or did not come from LoanRisk. Reload the page and try again."

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return HexDigits.string(generator.next(), generator.next(), generator.next(), generator.next(), digitsEach: 16)
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.count == 64 && token.allSatisfy(\.isHexDigit)
    }

    /// Throws 403 before the body is read when the browser sent no session cookie, so its
    /// form cannot match: a large upload is refused at once (with `Expect: 100-continue`,
    /// before it is sent) instead of after it has arrived.
    static func requireSession(_ request: Request, context: AppRequestContext) throws {
        guard let cookie = CookieSecurity.value(CSRFMiddleware.cookieName, in: request, overTLS: context.overTLS), isWellFormed(cookie) else {
            throw HTTPError(.forbidden, message: expiredMessage)
        }
    }

    /// Throws 403 unless the form's token matches the browser's cookie.
    static func check(_ submitted: String?, context: AppRequestContext) throws {
        guard let submitted, !context.csrfToken.isEmpty, submitted == context.csrfToken else {
            throw HTTPError(.forbidden, message: expiredMessage)
        }
    }
}
