import Hummingbird
import LoanRiskCore
import Scoring

/// Guards `/admin/v1`: `Authorization: Bearer <token>` must be one of `ADMIN_TOKEN`'s,
/// compared in constant time (on SHA-256 digests, so neither the length nor a prefix of a
/// token leaks through timing). A missing or wrong token is a 401 with
/// `WWW-Authenticate: Bearer`; the token itself is never logged.
struct AdminAuthMiddleware: RouterMiddleware {
    private let tokens: [(label: String, digest: [UInt8])]

    init(tokens: [AdminToken]) {
        self.tokens = tokens.map { ($0.label, SHA256.digest($0.secret)) }
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let label = authenticate(request.headers[.authorization]) else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: #"Bearer realm="loanrisk-admin""#],
                message: "Send the admin token as 'Authorization: Bearer <token>' (ADMIN_TOKEN).")
        }
        var context = context
        context.actor = label
        return try await next(request, context)
    }

    /// The label of the token the header carries, or nil. Every configured token is compared
    /// in full whatever matches, so the time taken does not say which one did.
    func authenticate(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let offered = SHA256.digest(Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8))
        var found: String?
        for token in tokens {
            var difference: UInt8 = 0
            for (a, b) in zip(offered, token.digest) { difference |= a ^ b }
            if difference == 0, found == nil { found = token.label }
        }
        return found
    }
}
