import HTTPTypes
import Hummingbird
import LoanRiskCore

/// The headers every answer carries (added by `EveryRequestMiddleware`): a
/// Content-Security-Policy that allows only this site's own scripts, styles and images (no
/// inline script), and the usual hardening headers.
enum SecurityHeaders {
    static func apply(to response: inout Response) {
        for field in fields { response.headers[fields: field.name] = [field] }
    }

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
