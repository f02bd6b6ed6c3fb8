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

    /// The cookie to set. `maxAge` nil makes it last as long as the browser session; 0 deletes it
    /// (set it with an empty value to sign out).
    package static func cookie(name base: String, value: String, overTLS: Bool, sameSite: Cookie.SameSite = .lax, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name(base, overTLS: overTLS), value: value, maxAge: maxAge, path: "/", secure: overTLS, httpOnly: true, sameSite: sameSite)
    }

    /// The value of the cookie called `base` in the form this request's transport calls for:
    /// over TLS only `__Host-<base>` is read — a plain-named one may have been planted over
    /// HTTP or by a subdomain — and without TLS the plain name (a browser never sends a
    /// `__Host-` cookie over plain HTTP).
    package static func value(_ base: String, in request: Request, overTLS: Bool) -> String? {
        request.cookies[name(base, overTLS: overTLS)]?.value
    }
}
