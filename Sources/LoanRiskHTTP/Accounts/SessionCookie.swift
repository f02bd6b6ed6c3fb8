import Foundation
import Hummingbird
import LoanRiskCore

/// The session cookie: `HttpOnly`, `SameSite=Lax` (so a link from elsewhere still arrives
/// signed in, while no other site can post with it), path `/`. Over TLS it is
/// `__Host-loanrisk_session` and `Secure`, which browsers bind to this exact origin; over
/// plain HTTP (a trial on this machine) browsers refuse both, so it is `loanrisk_session`.
enum SessionCookie {
    static let plainName = "loanrisk_session"
    static let secureName = "__Host-loanrisk_session"

    /// The session token the request carries, under either name.
    static func token(in request: Request) -> String? {
        let value = request.cookies[secureName]?.value ?? request.cookies[plainName]?.value
        return value.flatMap { SecretToken.isWellFormed($0) ? $0 : nil }
    }

    static func set(_ token: String, expires: Date, on response: inout Response, overTLS: Bool) {
        response.setCookie(Cookie(
            name: overTLS ? secureName : plainName, value: token, expires: expires, path: "/", secure: overTLS, httpOnly: true, sameSite: .lax))
    }

    /// Tells the browser to forget the cookie (sign-out).
    static func clear(on response: inout Response, overTLS: Bool) {
        response.setCookie(Cookie(
            name: overTLS ? secureName : plainName, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", secure: overTLS,
            httpOnly: true, sameSite: .lax))
    }
}
