import Foundation
import LoanRiskStorage

/// Teams and accounts, in `team` and `account`. Names are unique without case (`name_key`).
package struct AccountStore: Sendable {
    package let database: any SQLDatabase

    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// The stored form of an account.
    struct Row: Codable {
        var id: String
        var name: String
        var nameKey: String
        var displayName: String
        var role: String
        var teamId: String
        var passwordHash: String?
        var oidcIssuer: String?
        var oidcSubject: String?
        var disabled: Bool
        var createdAt: Date
        var passwordChangedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, role, disabled
            case nameKey = "name_key", displayName = "display_name", teamId = "team_id", passwordHash = "password_hash"
            case oidcIssuer = "oidc_issuer", oidcSubject = "oidc_subject", createdAt = "created_at", passwordChangedAt = "password_changed_at"
        }

        var account: Account {
            Account(
                id: id, name: name, displayName: displayName, role: Role(rawValue: role) ?? .viewer, teamID: teamId,
                hasPassword: passwordHash != nil, oidcIssuer: oidcIssuer, oidcSubject: oidcSubject, disabled: disabled, createdAt: createdAt)
        }
    }

    private struct TeamRow: Codable {
        var id: String
        var name: String
        var nameKey: String
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, name
            case nameKey = "name_key", createdAt = "created_at"
        }

        var team: Team { Team(id: id, name: name, createdAt: createdAt) }
    }

    // MARK: Teams

    package func teams() async throws -> [Team] {
        try await database.read { db in
            try await db.query("SELECT * FROM team ORDER BY name_key").map { try $0.decode(TeamRow.self).team }
        }
    }

    package func team(id: String) async throws -> Team? {
        guard AccountID.isWellFormed(id) else { return nil }
        return try await database.read { db in try await db.queryOne("SELECT * FROM team WHERE id = ?", [id])?.decode(TeamRow.self).team }
    }

    package func team(named name: String) async throws -> Team? {
        try await database.read { db in
            try await db.queryOne("SELECT * FROM team WHERE name_key = ?", [Self.key(name)])?.decode(TeamRow.self).team
        }
    }

    /// Creates a team; refuses an empty name or one already taken (any case).
    package func createTeam(name: String, at date: Date = Date()) async throws -> Result<Team, AccountError> {
        switch Self.validName(name, what: "team") {
        case .failure(let error): return .failure(error)
        case .success(let valid):
            let row = TeamRow(id: AccountID.make(), name: valid, nameKey: Self.key(valid), createdAt: date)
            return try await database.write { db in
                if try await db.queryOne("SELECT id FROM team WHERE name_key = ?", [row.nameKey]) != nil { return .failure(.teamTaken(valid)) }
                try await db.insert(row, into: "team")
                return .success(row.team)
            }
        }
    }

    /// The team named `name`, created when missing (single sign-on names teams by a claim).
    package func teamCreatingIfMissing(named name: String) async throws -> Result<Team, AccountError> {
        if let team = try await team(named: name) { return .success(team) }
        switch try await createTeam(name: name) {
        case .success(let team): return .success(team)
        case .failure(.teamTaken):
            // Another instance created it a moment ago.
            if let team = try await team(named: name) { return .success(team) }
            return .failure(.teamTaken(name))
        case .failure(let error): return .failure(error)
        }
    }

    // MARK: Accounts

    package func count() async throws -> Int {
        try await database.read { db in try await db.scalar("SELECT COUNT(*) FROM account", as: Int.self) ?? 0 }
    }

    package func accounts() async throws -> [Account] {
        try await database.read { db in
            try await db.query("SELECT * FROM account ORDER BY name_key").map { try $0.decode(Row.self).account }
        }
    }

    package func account(id: String) async throws -> Account? {
        try await row(id: id)?.account
    }

    package func account(named name: String) async throws -> Account? {
        try await database.read { db in
            try await db.queryOne("SELECT * FROM account WHERE name_key = ?", [Self.key(name)])?.decode(Row.self).account
        }
    }

    func row(id: String) async throws -> Row? {
        guard AccountID.isWellFormed(id) else { return nil }
        return try await database.read { db in try await db.queryOne("SELECT * FROM account WHERE id = ?", [id])?.decode(Row.self) }
    }

    func row(named name: String) async throws -> Row? {
        try await database.read { db in try await db.queryOne("SELECT * FROM account WHERE name_key = ?", [Self.key(name)])?.decode(Row.self) }
    }

    /// Creates an account. `passwordHash` is nil for one that signs in only through single sign-on.
    package func create(_ new: NewAccount, passwordHash: String?, at date: Date = Date()) async throws -> Result<Account, AccountError> {
        let name: String
        switch Self.validName(new.name, what: "account") {
        case .failure(let error): return .failure(error)
        case .success(let valid): name = valid
        }
        let row = Row(
            id: AccountID.make(), name: name, nameKey: Self.key(name), displayName: new.displayName.isEmpty ? name : new.displayName,
            role: new.role.rawValue, teamId: new.teamID, passwordHash: passwordHash, oidcIssuer: new.oidcIssuer, oidcSubject: new.oidcSubject,
            disabled: false, createdAt: date, passwordChangedAt: passwordHash == nil ? nil : date)
        return try await database.write { db in
            if try await db.queryOne("SELECT id FROM account WHERE name_key = ?", [row.nameKey]) != nil { return .failure(.accountTaken(name)) }
            if try await db.queryOne("SELECT id FROM team WHERE id = ?", [row.teamId]) == nil { return .failure(.noSuchTeam) }
            try await db.insert(row, into: "account")
            return .success(row.account)
        }
    }

    /// Changes an account's role, team or whether it is disabled. Disabling ends its sessions.
    package func update(id: String, role: Role, teamID: String, disabled: Bool) async throws -> Result<Account, AccountError> {
        guard AccountID.isWellFormed(id) else { return .failure(.noSuchAccount) }
        return try await database.write { db in
            guard try await db.queryOne("SELECT id FROM account WHERE id = ?", [id]) != nil else { return .failure(.noSuchAccount) }
            if try await db.queryOne("SELECT id FROM team WHERE id = ?", [teamID]) == nil { return .failure(.noSuchTeam) }
            try await db.execute("UPDATE account SET role = ?, team_id = ?, disabled = ? WHERE id = ?", [role.rawValue, teamID, disabled, id])
            // A changed role or team must not live on in an open session: sign in again.
            try await db.execute("DELETE FROM account_session WHERE account_id = ?", [id])
            guard let row = try await db.queryOne("SELECT * FROM account WHERE id = ?", [id])?.decode(Row.self) else { return .failure(.noSuchAccount) }
            return .success(row.account)
        }
    }

    /// Stores a new password hash and ends every session of the account but `keeping` (the one
    /// that changed it).
    package func setPasswordHash(_ hash: String, accountID: String, keepingSession keeping: String? = nil, at date: Date = Date()) async throws {
        try await database.write { db in
            try await db.execute("UPDATE account SET password_hash = ?, password_changed_at = ? WHERE id = ?", [hash, date, accountID])
            if let keeping {
                try await db.execute("DELETE FROM account_session WHERE account_id = ? AND token_hash <> ?", [accountID, SecretToken.hash(keeping)])
            } else {
                try await db.execute("DELETE FROM account_session WHERE account_id = ?", [accountID])
            }
        }
    }

    /// The account of a single sign-on identity: found by issuer and subject, else created with
    /// a free name; its role and team follow the provider's groups at every sign-in.
    package func signInFederated(
        issuer: String, subject: String, name: String, displayName: String, role: Role, teamID: String
    ) async throws -> Result<Account, AccountError> {
        let existing = try await database.read { db in
            try await db.queryOne("SELECT * FROM account WHERE oidc_issuer = ? AND oidc_subject = ?", [issuer, subject])?.decode(Row.self)
        }
        if let existing {
            if existing.disabled { return .failure(.disabled) }
            return try await update(id: existing.id, role: role, teamID: teamID, disabled: false).map { $0 }
        }
        var candidate = name.isEmpty ? "sso-user" : name
        for attempt in 0..<20 {
            if attempt > 0 { candidate = "\(name)-\(attempt + 1)" }
            let new = NewAccount(name: candidate, displayName: displayName, role: role, teamID: teamID, oidcIssuer: issuer, oidcSubject: subject)
            switch try await create(new, passwordHash: nil) {
            case .success(let account): return .success(account)
            case .failure(.accountTaken): continue
            case .failure(let error): return .failure(error)
            }
        }
        return .failure(.accountTaken(name))
    }

    /// Trims and collapses spaces; refuses an empty, overlong or control-character name.
    static func validName(_ text: String, what: String) -> Result<String, AccountError> {
        let name = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        if name.isEmpty { return .failure(.emptyName(what)) }
        if name.count > 64 { return .failure(.nameTooLong(what)) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return .failure(.controlCharacters(what)) }
        return .success(name)
    }

    static func key(_ name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
    }
}

/// What an admin (or the setup page, or the CLI) asks for.
package struct NewAccount: Sendable {
    package var name: String
    package var displayName: String
    package var role: Role
    package var teamID: String
    package var oidcIssuer: String?
    package var oidcSubject: String?

    package init(name: String, displayName: String = "", role: Role, teamID: String, oidcIssuer: String? = nil, oidcSubject: String? = nil) {
        self.name = name
        self.displayName = displayName
        self.role = role
        self.teamID = teamID
        self.oidcIssuer = oidcIssuer
        self.oidcSubject = oidcSubject
    }
}

/// Why an account or team change was refused, in words for the admin.
package enum AccountError: Error, Equatable, Sendable {
    case emptyName(String)
    case nameTooLong(String)
    case controlCharacters(String)
    case accountTaken(String)
    case teamTaken(String)
    case noSuchTeam
    case noSuchAccount
    case disabled
    case password(PasswordProblem)

    package var message: String {
        switch self {
        case .emptyName(let what): "Give the \(what) a name."
        case .nameTooLong(let what): "The \(what) name is longer than 64 characters."
        case .controlCharacters(let what): "The \(what) name contains control characters."
        case .accountTaken(let name): "There is already an account named “\(name)”."
        case .teamTaken(let name): "There is already a team named “\(name)”."
        case .noSuchTeam: "That team does not exist."
        case .noSuchAccount: "That account does not exist."
        case .disabled: "This account is disabled. Ask an admin."
        case .password(let problem): problem.message
        }
    }
}
