import Foundation
import LoanRiskStorage

/// Signed-in browsers, in `account_session`, so every instance behind a load balancer knows
/// them and a sign-out or a disabled account ends them everywhere at once. The cookie holds a
/// random token; only its SHA-256 is stored. A session ends after `idle` without a request or
/// `absolute` after sign-in, whichever comes first.
package struct SessionStore: Sendable {
    package let database: any SQLDatabase
    package let idle: Duration
    package let absolute: Duration

    /// How long `last_seen_at` may lag: refreshed at most this often, so a burst of page loads
    /// is one write, not one per request.
    static let touchInterval: TimeInterval = 60

    package init(database: any SQLDatabase, idle: Duration = .seconds(30 * 60), absolute: Duration = .seconds(12 * 3600)) {
        self.database = database
        self.idle = idle
        self.absolute = absolute
    }

    /// A session just started: the cookie's value (shown to the browser once) and when it ends
    /// at the latest.
    package struct Started: Sendable {
        package var token: String
        package var expiresAt: Date
    }

    private struct Row: Codable {
        var tokenHash: String
        var accountId: String
        var createdAt: Date
        var lastSeenAt: Date
        var expiresAt: Date
        var address: String

        enum CodingKeys: String, CodingKey {
            case address
            case tokenHash = "token_hash", accountId = "account_id", createdAt = "created_at", lastSeenAt = "last_seen_at", expiresAt = "expires_at"
        }
    }

    /// Starts a session for `account`, ending `replacing` (the browser's previous one) so a
    /// session id fixed before sign-in is never the one after it.
    package func start(for account: Account, address: String, replacing: String? = nil, at date: Date = Date()) async throws -> Started {
        let token = SecretToken.make()
        let expires = date.addingTimeInterval(absolute.seconds)
        let row = Row(tokenHash: SecretToken.hash(token), accountId: account.id, createdAt: date, lastSeenAt: date, expiresAt: expires, address: address)
        try await database.write { db in
            if let replacing, SecretToken.isWellFormed(replacing) {
                try await db.execute("DELETE FROM account_session WHERE token_hash = ?", [SecretToken.hash(replacing)])
            }
            try await db.insert(row, into: "account_session")
        }
        return Started(token: token, expiresAt: expires)
    }

    /// The account a cookie's token signs in, or nil when it is unknown, expired (idle or
    /// absolute), or its account is disabled.
    package func account(for token: String, at date: Date = Date()) async throws -> Account? {
        guard SecretToken.isWellFormed(token) else { return nil }
        let hash = SecretToken.hash(token)
        let found = try await database.read { db -> (Row, AccountStore.Row)? in
            guard let session = try await db.queryOne("SELECT * FROM account_session WHERE token_hash = ?", [hash])?.decode(Row.self),
                let account = try await db.queryOne("SELECT * FROM account WHERE id = ?", [session.accountId])?.decode(AccountStore.Row.self)
            else { return nil }
            return (session, account)
        }
        guard let (session, account) = found else { return nil }
        if account.disabled || date >= session.expiresAt || date.timeIntervalSince(session.lastSeenAt) >= idle.seconds {
            try await end(token: token)
            return nil
        }
        if date.timeIntervalSince(session.lastSeenAt) >= Self.touchInterval {
            try await database.write { db in
                try await db.execute("UPDATE account_session SET last_seen_at = ? WHERE token_hash = ?", [date, hash])
            }
        }
        return account.account
    }

    /// Ends the session of `token` (sign-out).
    package func end(token: String) async throws {
        guard SecretToken.isWellFormed(token) else { return }
        try await database.write { db in
            try await db.execute("DELETE FROM account_session WHERE token_hash = ?", [SecretToken.hash(token)])
        }
    }

    /// How many sessions an account has open (the people page shows it).
    package func openSessions(accountID: String, at date: Date = Date()) async throws -> Int {
        try await database.read { db in
            try await db.scalar("SELECT COUNT(*) FROM account_session WHERE account_id = ? AND expires_at > ?", [accountID, date], as: Int.self) ?? 0
        }
    }

    /// Removes sessions past their absolute or idle end (the retention job).
    @discardableResult
    package func prune(at date: Date = Date()) async throws -> Int {
        try await database.write { db in
            let cutoff = date.addingTimeInterval(-idle.seconds)
            let count = try await db.scalar(
                "SELECT COUNT(*) FROM account_session WHERE expires_at <= ? OR last_seen_at <= ?", [date, cutoff], as: Int.self) ?? 0
            try await db.execute("DELETE FROM account_session WHERE expires_at <= ? OR last_seen_at <= ?", [date, cutoff])
            return count
        }
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    package var seconds: TimeInterval {
        let (whole, attoseconds) = components
        return TimeInterval(whole) + TimeInterval(attoseconds) / 1e18
    }
}
