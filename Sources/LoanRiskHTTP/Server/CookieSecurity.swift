import Foundation
import Hummingbird
import LoanRiskCore

/// How LoanRisk names and sets a browser cookie, in one place, from whether the request came
/// over TLS (`context.overTLS`, directly or through a trusted proxy):
///
/// - over TLS: `__Host-<name>`, `Secure`, `Path=/`, no `Domain` — the browser then keeps it
///   for this host alone, sends it only over HTTPS, and refuses one set by plain HTTP or a
///   sibling subdomain (cookie tossing, RFC 6265bis §4.1.3.2);
/// - without TLS (a local trial on http://127.0.0.1): the plain name without `Secure`, which
///   browsers would refuse to store over http.
///
/// Always `HttpOnly` and with the `SameSite` asked for. Use it for every cookie that carries a
/// credential or a token (the CSRF cookie, the session cookie).
package enum CookieSecurity {
    /// The prefix browsers hold to the rules above.
    package static let hostPrefix = "__Host-"

    /// The name a cookie called `base` has on this request: `__Host-loanrisk_session` over TLS,
    /// `loanrisk_session` without.
    package static func name(_ base: String, overTLS: Bool) -> String {
        overTLS ? hostPrefix + base : base
    }

    /// The cookie to set. Without `maxAge` or `expires` it lasts as long as the browser session.
    package static func cookie(
        name base: String, value: String, overTLS: Bool, sameSite: Cookie.SameSite = .lax, maxAge: Int? = nil, expires: Date? = nil
    ) -> Cookie {
        Cookie(name: name(base, overTLS: overTLS), value: value, expires: expires, maxAge: maxAge, path: "/", secure: overTLS, httpOnly: true, sameSite: sameSite)
    }

    /// The cookie that makes the browser forget `base` (sign-out): empty, expired, with the same
    /// name and attributes it was set with, as browsers match on those.
    package static func expired(name base: String, overTLS: Bool, sameSite: Cookie.SameSite = .lax) -> Cookie {
        cookie(name: base, value: "", overTLS: overTLS, sameSite: sameSite, maxAge: 0, expires: Date(timeIntervalSince1970: 0))
    }

    /// The value of the cookie called `base` in the form this request's transport calls for:
    /// over TLS only `__Host-<base>` is read — a plain-named one may have been planted over
    /// HTTP or by a subdomain — and without TLS the plain name (a browser never sends a
    /// `__Host-` cookie over plain HTTP).
    package static func value(_ base: String, in request: Request, overTLS: Bool) -> String? {
        request.cookies[name(base, overTLS: overTLS)]?.value
    }
}
