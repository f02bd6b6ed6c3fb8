import Foundation

/// Which role each provider group grants (`OIDC_ROLE_MAP`, e.g.
/// `risk-admins=admin,model-team=model_admin,analysts=analyst,auditors=viewer`). A person in
/// several mapped groups gets the highest of their roles; a person in none gets no role and is
/// refused — being known to the provider is not by itself a reason to see applicants.
package struct OIDCRoleMap: Sendable, Equatable {
    package private(set) var entries: [(group: String, role: Role)]

    package init(_ entries: [(group: String, role: Role)]) { self.entries = entries }

    /// Parses `group=role` pairs separated by commas; roles are `viewer`, `analyst`,
    /// `model_admin` and `admin`. Group names are matched exactly (case and all).
    package init(parsing text: String) throws(ConfigurationError) {
        var entries: [(group: String, role: Role)] = []
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ConfigurationError("OIDC_ROLE_MAP: '\(pair)' is not group=role (for example analysts=analyst).")
            }
            guard let role = Role(rawValue: parts[1]) else {
                let names = Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError("OIDC_ROLE_MAP: '\(parts[1])' is not a role; use one of \(names).")
            }
            entries.append((parts[0], role))
        }
        guard !entries.isEmpty else { throw ConfigurationError("OIDC_ROLE_MAP names no group=role pair.") }
        self.entries = entries
    }

    /// The highest role any of `groups` maps to, or nil when none is mapped.
    package func role(for groups: [String]) -> Role? {
        let member = Set(groups)
        return entries.filter { member.contains($0.group) }.map(\.role).max()
    }

    package static func == (lhs: OIDCRoleMap, rhs: OIDCRoleMap) -> Bool {
        lhs.entries.map(\.group) == rhs.entries.map(\.group) && lhs.entries.map(\.role) == rhs.entries.map(\.role)
    }
}
