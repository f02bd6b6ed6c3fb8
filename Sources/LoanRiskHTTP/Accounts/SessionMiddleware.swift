import Foundation
import Hummingbird
import LoanRiskCore

/// Lets a browser into the pages: the session cookie must name a live session, and its
/// account's role must allow the route (`PageAccess`). Without a session a page answers
/// `303` to the sign-in page, which returns there afterwards (a script's JSON request gets
/// `401`); with too small a role, `403`. With accounts off (`AUTH=off`, loopback only) every
/// request acts as the local trial admin.
struct SessionMiddleware: RouterMiddleware {
    let sessions: SessionStore
    let required: Bool

    /// Who acts when accounts are off: an admin of the default team.
    static let trialPrincipal = Principal(kind: .account, id: "local", name: "local", role: .admin, teamID: Team.defaultID)

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        guard required else {
            context.principal = Self.trialPrincipal
            return try await next(request, context)
        }
        guard let token = SessionCookie.token(in: request, context: context), let account = try await sessions.account(for: token) else {
            return try Self.signInFirst(request)
        }
        context.principal = account.principal
        let needed = PageAccess.required(method: request.method, route: context.endpointPath ?? request.uri.path)
        guard account.role.allows(needed) else {
            throw HTTPError(.forbidden, message: "Your role (\(account.role.title)) cannot do this; it needs \(needed.title). Ask an admin if you should.")
        }
        return try await next(request, context)
    }

    /// The answer to a request without a session.
    static func signInFirst(_ request: Request) throws -> Response {
        if request.headers[.accept]?.contains("application/json") == true {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: #"Cookie realm="loanrisk", form-action="/sign-in""#],
                message: "Sign in first: your session has ended or you have not signed in.")
        }
        // A form posted after the session ended returns to its page, not to the post.
        let back = request.method == .get || request.method == .head ? request.uri.description : request.uri.path
        return .redirect(to: "/sign-in?next=" + SignInTarget.encode(back), type: .normal)
    }
}

/// Where to return after signing in: only a path on this site (`/…`, never `//host` or a full
/// address), so the sign-in page cannot be used to send people elsewhere.
enum SignInTarget {
    static func isSafe(_ target: String) -> Bool {
        target.hasPrefix("/") && !target.hasPrefix("//") && !target.hasPrefix("/\\") && !target.contains("\r") && !target.contains("\n")
            && !target.hasPrefix("/sign-in") && !target.hasPrefix("/sign-out")
    }

    static func resolve(_ target: String?) -> String {
        guard let target, isSafe(target) else { return "/" }
        return target
    }

    static func encode(_ target: String) -> String {
        target.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_.~"))) ?? "/"
    }
}
