import Foundation
import LoanRiskStorage

/// Slows password guessing, per account name and per address, across every instance (the
/// failures are rows in `sign_in_failure`): after `perAccount` failures for one name, or
/// `perAddress` from one address, within `window`, sign-in answers "try again in N seconds"
/// (429 with `Retry-After`) until the oldest of them leaves the window. Failures for names that
/// do not exist count the same, so the answer never says whether an account exists.
package struct SignInThrottle: Sendable {
    package let database: any SQLDatabase
    package var perAccount = 5
    package var perAddress = 30
    package var window: TimeInterval = 15 * 60

    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// Seconds to wait before `name` may be tried from `address` again, or nil when it may now.
    package func retryAfter(name: String, address: String, at date: Date = Date()) async throws -> Int? {
        let since = date.addingTimeInterval(-window)
        let key = AccountStore.key(name)
        let (byName, byAddress) = try await database.read { db in
            let byName = try await db.query(
                "SELECT failed_at FROM sign_in_failure WHERE name_key = ? AND failed_at > ? ORDER BY failed_at DESC", [key, since]
            ).compactMap { try $0.first(as: Date.self) }
            let byAddress = try await db.query(
                "SELECT failed_at FROM sign_in_failure WHERE address = ? AND failed_at > ? ORDER BY failed_at DESC", [address, since]
            ).compactMap { try $0.first(as: Date.self) }
            return (byName, byAddress)
        }
        // The wait ends when enough failures have aged out that one more try is allowed.
        func wait(_ failures: [Date], limit: Int) -> Int? {
            guard failures.count >= limit else { return nil }
            let freeing = failures[limit - 1]
            return max(1, Int((freeing.addingTimeInterval(window).timeIntervalSince(date)).rounded(.up)))
        }
        return [wait(byName, limit: perAccount), wait(byAddress, limit: perAddress)].compactMap { $0 }.max()
    }

    package func recordFailure(name: String, address: String, at date: Date = Date()) async throws {
        let key = AccountStore.key(name)
        try await database.write { db in
            try await db.execute("INSERT INTO sign_in_failure (name_key, address, failed_at) VALUES (?, ?, ?)", [key, address, date])
        }
    }

    /// A successful sign-in forgets the name's failures (not the address's).
    package func clear(name: String) async throws {
        let key = AccountStore.key(name)
        try await database.write { db in try await db.execute("DELETE FROM sign_in_failure WHERE name_key = ?", [key]) }
    }

    /// Drops failures older than the window (the retention job).
    package func prune(at date: Date = Date()) async throws {
        let since = date.addingTimeInterval(-window)
        try await database.write { db in try await db.execute("DELETE FROM sign_in_failure WHERE failed_at <= ?", [since]) }
    }
}
