import Foundation
import LoanRiskStorage

/// Everything accounts do, for every surface (pages, the CLI): sign-in with throttling,
/// sessions, passwords under the policy, the first admin. Errors are values.
package struct AccountService: Sendable {
    package let accounts: AccountStore
    package let sessions: SessionStore
    package let throttle: SignInThrottle
    package let setup: SetupTokens
    package let policy: PasswordPolicy
    package let hasher: PasswordHasher

    package init(database: any SQLDatabase, policy: PasswordPolicy, hasher: PasswordHasher, sessionIdle: Duration, sessionMax: Duration) {
        accounts = AccountStore(database: database)
        sessions = SessionStore(database: database, idle: sessionIdle, absolute: sessionMax)
        throttle = SignInThrottle(database: database)
        setup = SetupTokens(database: database)
        self.policy = policy
        self.hasher = hasher
    }

    /// Checks a name and password from `address`; on success starts a session (ending the
    /// browser's previous one, `replacing`).
    package func signIn(name: String, password: String, address: String, replacing: String?) async throws -> Result<(Account, SessionStore.Started), SignInError> {
        if let wait = try await throttle.retryAfter(name: name, address: address) { return .failure(.throttled(retryAfter: wait)) }
        let row = try await accounts.row(named: name)
        // An unknown name or one without a password is checked against a decoy hash, so the
        // time taken does not say which names exist.
        let valid = await hasher.verify(password, hash: row?.passwordHash ?? PasswordHasher.decoy)
        guard let row, row.passwordHash != nil, valid else {
            try await throttle.recordFailure(name: name, address: address)
            return .failure(.invalid)
        }
        if row.disabled { return .failure(.disabled) }
        try await throttle.clear(name: name)
        let account = row.account
        let started = try await sessions.start(for: account, address: address, replacing: replacing)
        return .success((account, started))
    }

    /// Creates an account with a password that meets the policy.
    package func create(_ new: NewAccount, password: String) async throws -> Result<Account, AccountError> {
        if let problem = policy.problem(with: password, accountName: new.name) { return .failure(.password(problem)) }
        return try await accounts.create(new, passwordHash: await hasher.hash(password))
    }

    /// Creates the first admin through the setup link.
    package func completeSetup(token: String, name: String, password: String, confirmation: String) async throws -> Result<Account, SetupError> {
        guard try await setup.isValid(token) else { return .failure(.invalidLink) }
        if password != confirmation { return .failure(.account(.password(.mismatch))) }
        if let problem = policy.problem(with: password, accountName: name) { return .failure(.account(.password(problem))) }
        let new = NewAccount(name: name, role: .admin, teamID: Team.defaultID)
        return try await setup.useToken(token, creating: new, passwordHash: await hasher.hash(password))
    }

    /// Changes the signed-in account's password after checking the current one; other
    /// sessions of the account end, the one that changed it (`session`) stays.
    package func changePassword(accountID: String, current: String, new: String, confirmation: String, session: String) async throws -> Result<Void, ChangePasswordError> {
        guard let row = try await accounts.row(id: accountID) else { return .failure(.noAccount) }
        guard let hash = row.passwordHash, await hasher.verify(current, hash: hash) else { return .failure(.wrongCurrent) }
        if new != confirmation { return .failure(.policy(.mismatch)) }
        if let problem = policy.problem(with: new, accountName: row.name) { return .failure(.policy(problem)) }
        try await accounts.setPasswordHash(await hasher.hash(new), accountID: accountID, keepingSession: session)
        return .success(())
    }

    /// Sets a password for someone else (an admin's reset, or the CLI); ends all their sessions.
    package func setPassword(accountID: String, password: String) async throws -> Result<Void, AccountError> {
        guard let row = try await accounts.row(id: accountID) else { return .failure(.noSuchAccount) }
        if let problem = policy.problem(with: password, accountName: row.name) { return .failure(.password(problem)) }
        try await accounts.setPasswordHash(await hasher.hash(password), accountID: accountID)
        return .success(())
    }
}

/// Why a sign-in failed. `invalid` never says whether the name or the password was wrong.
package enum SignInError: Error, Equatable, Sendable {
    case invalid
    case disabled
    case throttled(retryAfter: Int)

    package var message: String {
        switch self {
        case .invalid: "The name or password is not right."
        case .disabled: "This account is disabled. Ask an admin."
        case .throttled(let seconds):
            "Too many failed sign-ins. Try again in \(seconds >= 120 ? "\(seconds / 60) minutes" : "\(seconds) seconds")."
        }
    }
}

/// Why a password change failed.
package enum ChangePasswordError: Error, Equatable, Sendable {
    case noAccount
    case wrongCurrent
    case policy(PasswordProblem)

    package var message: String {
        switch self {
        case .noAccount: "The account no longer exists."
        case .wrongCurrent: "The current password is not right."
        case .policy(let problem): problem.message
        }
    }
}
