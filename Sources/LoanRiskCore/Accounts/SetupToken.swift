import Foundation
import LoanRiskStorage

/// The one-time link that creates the first admin: while no account exists, each start stores
/// a fresh token's hash (forgetting earlier ones) and logs `/setup?token=…`. The link works until
/// it has been used or an account exists by any other way (`loanrisk users create`).
package struct SetupTokens: Sendable {
    package let database: any SQLDatabase

    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// A new token when there are no accounts yet; nil once there are.
    package func issueIfNoAccounts(at date: Date = Date()) async throws -> String? {
        let token = SecretToken.make()
        return try await database.write { db in
            let accounts = try await db.scalar("SELECT COUNT(*) FROM account", as: Int.self) ?? 0
            guard accounts == 0 else { return nil }
            try await db.execute("DELETE FROM setup_token WHERE used_at IS NULL")
            try await db.execute("INSERT INTO setup_token (token_hash, created_at) VALUES (?, ?)", [SecretToken.hash(token), date])
            return token
        }
    }

    /// Whether `token` may still create the first admin.
    package func isValid(_ token: String) async throws -> Bool {
        guard SecretToken.isWellFormed(token) else { return false }
        return try await database.read { db in
            let accounts = try await db.scalar("SELECT COUNT(*) FROM account", as: Int.self) ?? 0
            let unused = try await db.queryOne("SELECT token_hash FROM setup_token WHERE token_hash = ? AND used_at IS NULL", [SecretToken.hash(token)])
            return accounts == 0 && unused != nil
        }
    }

    /// Creates the first admin with `token`, in one transaction, so two browsers racing with
    /// the same link cannot both succeed.
    package func useToken(_ token: String, creating new: NewAccount, passwordHash: String, at date: Date = Date()) async throws -> Result<Account, SetupError> {
        guard SecretToken.isWellFormed(token) else { return .failure(.invalidLink) }
        if case .failure(let error) = AccountStore.validName(new.name, what: "account") { return .failure(.account(error)) }
        let hash = SecretToken.hash(token)
        let created: Result<Void, SetupError> = try await database.write { db in
            let accounts = try await db.scalar("SELECT COUNT(*) FROM account", as: Int.self) ?? 0
            guard accounts == 0 else { return .failure(.alreadySetUp) }
            guard try await db.queryOne("SELECT token_hash FROM setup_token WHERE token_hash = ? AND used_at IS NULL", [hash]) != nil else {
                return .failure(.invalidLink)
            }
            try await db.execute("UPDATE setup_token SET used_at = ? WHERE token_hash = ?", [date, hash])
            return .success(())
        }
        if case .failure(let error) = created { return .failure(error) }
        switch try await AccountStore(database: database).create(new, passwordHash: passwordHash, at: date) {
        case .success(let account): return .success(account)
        case .failure(let error): return .failure(.account(error))
        }
    }
}

/// Why the setup link did not create an account.
package enum SetupError: Error, Equatable, Sendable {
    case invalidLink
    case alreadySetUp
    case account(AccountError)

    package var message: String {
        switch self {
        case .invalidLink: "This setup link is not valid: it has been used, or a newer one was printed in the log when the server restarted."
        case .alreadySetUp: "LoanRisk already has an admin. Sign in instead."
        case .account(let error): error.message
        }
    }
}
