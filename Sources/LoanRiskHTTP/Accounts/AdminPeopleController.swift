import Foundation
import Hummingbird
import LoanRiskCore
import Logging

/// The admin's pages for people and teams (`/admin/people`, `/admin/teams`): add an account,
/// change its role or team, disable it (its sessions end at once), set a new password, add a
/// team. Mounted on the admin pages group, so only admins reach it.
struct AdminPeopleController {
    let accounts: AccountService
    let views: Views

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/admin/people") { _, context in try await page(context: context) }
        router.post("/admin/people") { request, context in try await create(request, context: context) }
        router.post("/admin/people/:id") { request, context in try await update(request, context: context) }
        router.post("/admin/people/:id/password") { request, context in try await resetPassword(request, context: context) }
        router.post("/admin/teams") { request, context in try await createTeam(request, context: context) }
    }

    private func page(context: AppRequestContext, problem: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let people = try await accounts.accounts.accounts()
        let teams = try await accounts.accounts.teams()
        let teamNames = Dictionary(teams.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var members: [String: Int] = [:]
        for person in people { members[person.teamID, default: 0] += 1 }
        var rows: [AdminPeoplePage.Person] = []
        for person in people {
            rows.append(.init(
                id: person.id, name: person.name, displayName: person.displayName, role: person.role.title, team: teamNames[person.teamID] ?? person.teamID,
                disabled: person.disabled, singleSignOn: person.oidcSubject != nil,
                sessions: try await accounts.sessions.openSessions(accountID: person.id), isSelf: person.id == context.principal?.id,
                roleChoices: Self.roles(selected: person.role), teamChoices: Self.teams(teams, selected: person.teamID, members: members)))
        }
        return views.page(
            AdminPeoplePage(
                base: PageBase(context, title: "People and teams"), people: rows, teams: Self.teams(teams, selected: Team.defaultID, members: members),
                roles: Self.roles(selected: .analyst), problem: problem, notice: notice, minimumLength: PasswordPolicy.minimumLength),
            status: status)
    }

    private static func roles(selected: Role) -> [AdminPeoplePage.RoleOption] {
        Role.allCases.map { .init(value: $0.rawValue, title: $0.title, selected: $0 == selected) }
    }

    private static func teams(_ teams: [Team], selected: String, members: [String: Int]) -> [AdminPeoplePage.TeamOption] {
        teams.map { .init(id: $0.id, name: $0.name, selected: $0.id == selected, members: members[$0.id] ?? 0) }
    }

    private func form(_ request: Request, context: AppRequestContext) async throws -> [String: String] {
        let form = try await FormBody.read(request, context: context, limit: 16_384)
        try CSRF.check(form["csrf"], context: context)
        return form
    }

    private func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await form(request, context: context)
        guard let role = form["role"].flatMap(Role.init(rawValue:)) else {
            return try await page(context: context, problem: "Choose a role.", status: .unprocessableContent)
        }
        let new = NewAccount(name: form["name"] ?? "", displayName: form["display_name"] ?? "", role: role, teamID: form["team"] ?? Team.defaultID)
        switch try await accounts.create(new, password: form["password"] ?? "") {
        case .success(let account):
            context.logger.notice("account created", metadata: ["account": .string(account.name), "role": .string(account.role.rawValue), "by": .string(context.principal?.name ?? "")])
            context.recordAccess(.accountChanged, .account, account.id)
            return try await page(context: context, notice: "\(account.name) can now sign in as \(account.role.title.lowercased()).")
        case .failure(let error):
            return try await page(context: context, problem: error.message, status: .unprocessableContent)
        }
    }

    private func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await form(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard let role = form["role"].flatMap(Role.init(rawValue:)), let team = form["team"] else {
            return try await page(context: context, problem: "Choose a role and a team.", status: .unprocessableContent)
        }
        let disabled = form["disabled"] == "on"
        if id == context.principal?.id, role != .admin || disabled {
            return try await page(context: context, problem: "You cannot take away your own admin role or disable yourself; ask another admin.", status: .unprocessableContent)
        }
        switch try await accounts.accounts.update(id: id, role: role, teamID: team, disabled: disabled) {
        case .success(let account):
            context.logger.notice("account changed", metadata: [
                "account": .string(account.name), "role": .string(role.rawValue), "disabled": .stringConvertible(disabled), "by": .string(context.principal?.name ?? ""),
            ])
            context.recordAccess(.accountChanged, .account, account.id)
            return try await page(context: context, notice: "\(account.name) is now \(role.title.lowercased())\(disabled ? ", disabled" : ""); their sessions were ended.")
        case .failure(let error):
            return try await page(context: context, problem: error.message, status: error == .noSuchAccount ? .notFound : .unprocessableContent)
        }
    }

    private func resetPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await form(request, context: context)
        let id = context.parameters.get("id") ?? ""
        switch try await accounts.setPassword(accountID: id, password: form["password"] ?? "") {
        case .success:
            context.logger.notice("password set by an admin", metadata: ["account_id": .string(id), "by": .string(context.principal?.name ?? "")])
            context.recordAccess(.accountChanged, .account, id)
            return try await page(context: context, notice: "The new password is set; give it to its owner in person, and ask them to change it at once.")
        case .failure(let error):
            return try await page(context: context, problem: error.message, status: error == .noSuchAccount ? .notFound : .unprocessableContent)
        }
    }

    private func createTeam(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await form(request, context: context)
        switch try await accounts.accounts.createTeam(name: form["name"] ?? "") {
        case .success(let team):
            return try await page(context: context, notice: "Team \(team.name) created. Its batches are seen only by its members.")
        case .failure(let error):
            return try await page(context: context, problem: error.message, status: .unprocessableContent)
        }
    }
}
