/// What a person or a system may do. Each role includes everything the ones before it may:
/// a viewer reads its team's batches; an analyst also uploads, downloads and decides reviews;
/// a model admin also manages the registry, aliases and the challenger; an admin also manages
/// accounts, teams, keys and reads the access log.
package enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case viewer
    case analyst
    case modelAdmin = "model_admin"
    case admin

    /// The role's name as pages show it.
    package var title: String {
        switch self {
        case .viewer: "Viewer"
        case .analyst: "Analyst"
        case .modelAdmin: "Model admin"
        case .admin: "Admin"
        }
    }

    private var rank: Int { Role.allCases.firstIndex(of: self) ?? 0 }

    package static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role may do what `required` may.
    package func allows(_ required: Role) -> Bool { self >= required }
}
