import HTTPTypes
import Hummingbird
import LoanRiskCore

/// The headers every answer carries (added by `EveryRequestMiddleware`): a
/// Content-Security-Policy that allows only this site's own scripts, styles and images (no
/// inline script), and the usual hardening headers; over TLS (`context.overTLS`) also HSTS, so
/// a browser that has once reached us over HTTPS never again tries plain HTTP for a year.
enum SecurityHeaders {
    static func apply(to response: inout Response, overTLS: Bool) {
        for field in fields { response.headers[fields: field.name] = [field] }
        if overTLS, let hsts { response.headers[fields: hsts.name] = [hsts] }
    }

    /// Sent only over TLS: browsers ignore it on plain HTTP (RFC 6797 §8.1), and there it would
    /// promise what the server may not have.
    private static let hsts = HTTPField.Name("Strict-Transport-Security").map { HTTPField(name: $0, value: "max-age=31536000; includeSubDomains") }

    /// Made (their names and values checked) once rather than on every response.
    private static let fields: [HTTPField] = [
        HTTPField(
            name: .contentSecurityPolicy,
            value: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
    ] + [("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")].compactMap { name, value in
        HTTPField.Name(name).map { HTTPField(name: $0, value: value) }
    }
}
