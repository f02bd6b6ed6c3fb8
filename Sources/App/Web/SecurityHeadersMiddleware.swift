import HTTPTypes
import Hummingbird

/// Adds the headers every page carries: a Content-Security-Policy that allows only this
/// site's own scripts, styles and images (no inline script), and the usual hardening headers.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for field in SecurityHeaderFields.all { response.headers[fields: field.name] = [field] }
        return response
    }
}

/// The middleware's headers, made (their names and values checked) once rather than on every
/// response.
private enum SecurityHeaderFields {
    static let all: [HTTPField] = [
        HTTPField(
            name: .contentSecurityPolicy,
            value: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
    ] + [("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")].compactMap { name, value in
        HTTPField.Name(name).map { HTTPField(name: $0, value: value) }
    }
}
