import Foundation

/// What accounts read from the configuration.
package struct AccountSettings: Sendable {
    /// `Data/passwords/common.txt`: passwords refused because attackers try them first.
    package var commonPasswords: URL?
    /// `BCRYPT_COST`: 12 by default (about 0.25 s per hash on this class of machine).
    package var bcryptCost: UInt8 = 12
    /// `SESSION_IDLE_MINUTES` (30) and `SESSION_MAX_HOURS` (12): a session ends after this long
    /// without a request, or this long after sign-in.
    package var sessionIdle: Duration = .seconds(30 * 60)
    package var sessionMax: Duration = .seconds(12 * 3600)

    package init() {}
}
