import Foundation
import HTTPTypes
import Hummingbird
import LoanRiskCore
import Logging

/// Signing in and out, the first admin's setup link, and one's own account page.
struct SignInController {
    let accounts: AccountService
    let views: Views
    /// The "Sign in with …" link when single sign-on is configured.
    let singleSignOn: SignInPage.SingleSignOnLink?

    /// The routes that must answer without a session.
    func addPublicRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/sign-in") { request, context in
            let next = SignInTarget.resolve(request.uri.queryParameters["next"].map(String.init))
            let notice: String? = switch request.uri.queryParameters["done"].map(String.init) {
            case "signed-out": "You have signed out."
            case "password": "Your password was changed. Sign in with the new one."
            default: nil
            }
            return signInPage(context: context, next: next, name: "", problem: nil, notice: notice)
        }
        router.post("/sign-in") { request, context in try await signIn(request, context: context) }
        router.get("/setup") { request, context in try await setupPage(request, context: context) }
        router.post("/setup") { request, context in try await setup(request, context: context) }
    }

    /// The routes of a signed-in person, whatever their role.
    func addSessionRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("/sign-out") { request, context in try await signOut(request, context: context) }
        router.get("/account") { _, context in try await accountPage(context: context, problem: nil, notice: nil) }
        router.post("/account/password") { request, context in try await changePassword(request, context: context) }
    }

    private func signInPage(context: AppRequestContext, next: String, name: String, problem: String?, notice: String?, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var response = views.page(
            SignInPage(
                base: PageBase(title: "Sign in", csrf: context.csrfToken), next: next, name: name, problem: problem, notice: notice,
                singleSignOn: singleSignOn.map { .init(href: $0.href + (next == "/" ? "" : "?next=" + SignInTarget.encode(next)), label: $0.label) }),
            status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    private func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context, limit: 16_384)
        try CSRF.check(form["csrf"], context: context)
        let name = form["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let next = SignInTarget.resolve(form["next"])
        let password = form["password"] ?? ""
        guard !name.isEmpty, !password.isEmpty else {
            return signInPage(context: context, next: next, name: name, problem: "Enter your name and password.", notice: nil, status: .unprocessableContent)
        }
        let address = context.clientAddress
        switch try await accounts.signIn(name: name, password: password, address: address, replacing: SessionCookie.token(in: request, context: context)) {
        case .success(let (account, started)):
            context.logger.info("signed in", metadata: ["account": .string(account.name), "address": .string(address)])
            var signedIn = context
            signedIn.principal = account.principal
            signedIn.recordAccess(.signIn, .session, nil)
            var response = Response.redirect(to: next, type: .normal)
            SessionCookie.set(started.token, expires: started.expiresAt, on: &response, overTLS: context.overTLS)
            return response
        case .failure(let error):
            // Never the password; the name typed, so a guessing run can be seen in the log.
            context.logger.notice("sign-in refused", metadata: ["account": .string(name), "address": .string(address), "reason": .string("\(error)")])
            context.recordAccess(.signInFailed, .account, name, outcome: .refused)
            switch error {
            case .throttled(let seconds):
                return signInPage(
                    context: context, next: next, name: name, problem: error.message, notice: nil, status: .tooManyRequests,
                    headers: [.retryAfter: String(seconds)])
            case .invalid, .disabled:
                return signInPage(context: context, next: next, name: name, problem: error.message, notice: nil, status: .unauthorized)
            }
        }
    }

    private func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context, limit: 16_384)
        try CSRF.check(form["csrf"], context: context)
        if let token = SessionCookie.token(in: request, context: context) { try await accounts.sessions.end(token: token) }
        context.logger.info("signed out", metadata: ["account": .string(context.principal?.name ?? "")])
        context.recordAccess(.signOut, .session, nil)
        var response = Response.redirect(to: "/sign-in?done=signed-out", type: .normal)
        SessionCookie.clear(on: &response, overTLS: context.overTLS)
        // The browser forgets what it showed, so the back button cannot bring a page back.
        if let clearSiteData = HTTPField.Name("Clear-Site-Data") { response.headers[clearSiteData] = #""cache""# }
        return response
    }

    private func setupPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters["token"].map(String.init) ?? ""
        guard try await accounts.setup.isValid(token) else {
            throw HTTPError(.notFound, message: SetupError.invalidLink.message)
        }
        return views.page(SetupPage(
            base: PageBase(title: "Create the first admin", csrf: context.csrfToken), token: token, name: "", problem: nil,
            minimumLength: PasswordPolicy.minimumLength))
    }

    private func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context, limit: 16_384)
        try CSRF.check(form["csrf"], context: context)
        let token = form["token"] ?? ""
        let name = form["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let result = try await accounts.completeSetup(token: token, name: name, password: form["password"] ?? "", confirmation: form["confirm"] ?? "")
        switch result {
        case .success(let account):
            context.logger.notice("first admin created", metadata: ["account": .string(account.name)])
            let started = try await accounts.sessions.start(for: account, address: context.clientAddress)
            var response = Response.redirect(to: "/admin/people", type: .normal)
            SessionCookie.set(started.token, expires: started.expiresAt, on: &response, overTLS: context.overTLS)
            return response
        case .failure(let error) where error == .invalidLink || error == .alreadySetUp:
            throw HTTPError(.notFound, message: error.message)
        case .failure(let error):
            return views.page(
                SetupPage(
                    base: PageBase(title: "Create the first admin", csrf: context.csrfToken), token: token, name: name, problem: error.message,
                    minimumLength: PasswordPolicy.minimumLength),
                status: .unprocessableContent)
        }
    }

    private func accountPage(context: AppRequestContext, problem: String?, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let principal = context.principal, let account = try await accounts.accounts.account(id: principal.id) else {
            throw HTTPError(.notFound, message: "Accounts are off: there is no account to show.")
        }
        let team = try await accounts.accounts.team(id: account.teamID)
        return views.page(
            AccountPage(
                base: PageBase(context, title: "Your account"), name: account.name, displayName: account.displayName, role: account.role.title,
                team: team?.name ?? account.teamID, hasPassword: account.hasPassword, singleSignOn: account.oidcSubject != nil, problem: problem,
                notice: notice, minimumLength: PasswordPolicy.minimumLength),
            status: status)
    }

    private func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context, limit: 16_384)
        try CSRF.check(form["csrf"], context: context)
        guard let principal = context.principal, let session = SessionCookie.token(in: request, context: context) else {
            throw HTTPError(.notFound, message: "Accounts are off: there is no password to change.")
        }
        let result = try await accounts.changePassword(
            accountID: principal.id, current: form["current"] ?? "", new: form["password"] ?? "", confirmation: form["confirm"] ?? "", session: session)
        switch result {
        case .success:
            context.logger.notice("password changed", metadata: ["account": .string(principal.name)])
            context.recordAccess(.accountChanged, .account, principal.id)
            return try await accountPage(context: context, problem: nil, notice: "Your password was changed. Your other sessions have been signed out.")
        case .failure(let error):
            return try await accountPage(context: context, problem: error.message, notice: nil, status: .unprocessableContent)
        }
    }
}
