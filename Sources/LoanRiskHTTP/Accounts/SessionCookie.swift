import Foundation
import Hummingbird
import LoanRiskCore

/// The session cookie: `HttpOnly`, `SameSite=Lax` (so a link from elsewhere still arrives
/// signed in, while no other site can post with it), path `/`. Over TLS (directly or through
/// a proxy in `TRUSTED_PROXIES`) it is `__Host-loanrisk_session` and `Secure`, which browsers
/// bind to this exact origin; over plain HTTP (a trial on this machine) browsers refuse both,
/// so it is `loanrisk_session`. Named and read through `CookieSecurity`, as the CSRF cookie is.
enum SessionCookie {
    static let plainName = "loanrisk_session"

    /// The session token the request carries, in the form its transport calls for.
    static func token(in request: Request, context: AppRequestContext) -> String? {
        CookieSecurity.value(plainName, in: request, overTLS: context.overTLS).flatMap { SecretToken.isWellFormed($0) ? $0 : nil }
    }

    static func set(_ token: String, expires: Date, on response: inout Response, overTLS: Bool) {
        response.setCookie(CookieSecurity.cookie(name: plainName, value: token, overTLS: overTLS, sameSite: .lax, expires: expires))
    }

    /// Tells the browser to forget the cookie (sign-out).
    static func clear(on response: inout Response, overTLS: Bool) {
        response.setCookie(CookieSecurity.expired(name: plainName, overTLS: overTLS, sameSite: .lax))
    }
}
