import Foundation
import LoanRiskCore
import LoanRiskHTTP

/// The settings of sign-in and access, read from the environment.
public struct AccountsConfiguration: Sendable {
    /// `AUTH` (`on`, the default; `off` only for a trial on this machine): with it off, no page or
    /// API asks who is calling. Refused unless the server listens on loopback only.
    public var required = true
    /// `BCRYPT_COST` (4–16, default 12).
    public var bcryptCost: UInt8 = 12
    /// `SESSION_IDLE_MINUTES` (default 30), `SESSION_MAX_HOURS` (default 12).
    public var sessionIdleMinutes = 30
    public var sessionMaxHours = 12
    /// `METRICS_TOKEN`: the bearer token Prometheus sends for `/metrics` (its `authorization`
    /// setting); `off` leaves `/metrics` open; unset, `/metrics` answers 401 to everyone.
    public var metrics: MetricsAccess = .refused

    public init() {}

    init(environment: [String: String], hostname: String) throws(ConfigurationError) {
        if let auth = environment["AUTH"]?.lowercased(), !auth.isEmpty {
            switch auth {
            case "on", "true", "1": required = true
            case "off", "false", "0":
                guard Self.isLoopback(hostname) else {
                    throw ConfigurationError(
                        "AUTH=off lets anyone who reaches the port see every applicant, so it is allowed only when HOST is loopback (127.0.0.1, ::1 or localhost), not '\(hostname)'.")
                }
                required = false
            default: throw ConfigurationError("AUTH='\(auth)' must be on or off.")
            }
        }
        if let cost = environment["BCRYPT_COST"] { bcryptCost = UInt8(try AppConfiguration.integer("BCRYPT_COST", cost, in: 4...16)) }
        if let minutes = environment["SESSION_IDLE_MINUTES"] { sessionIdleMinutes = try AppConfiguration.integer("SESSION_IDLE_MINUTES", minutes, in: 1...1_440) }
        if let hours = environment["SESSION_MAX_HOURS"] { sessionMaxHours = try AppConfiguration.integer("SESSION_MAX_HOURS", hours, in: 1...720) }
        if let token = environment["METRICS_TOKEN"], !token.isEmpty {
            if token.lowercased() == "off" {
                metrics = .open
            } else {
                guard token.count >= 16 else { throw ConfigurationError("METRICS_TOKEN must be at least 16 characters (or 'off' to leave /metrics open).") }
                metrics = .token(token)
            }
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    func core(root: URL) -> AccountSettings {
        var settings = AccountSettings()
        settings.commonPasswords = root.appendingPathComponent("Data/passwords/common.txt")
        settings.bcryptCost = bcryptCost
        settings.sessionIdle = .seconds(sessionIdleMinutes * 60)
        settings.sessionMax = .seconds(sessionMaxHours * 3_600)
        return settings
    }
}
