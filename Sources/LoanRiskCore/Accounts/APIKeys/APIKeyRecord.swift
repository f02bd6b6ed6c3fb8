import Foundation
import LoanRiskStorage

/// One API key as stored and listed (`api_key`) — never its text, which was shown once at
/// creation and kept nowhere; only its SHA-256 is stored, and not read back here.
package struct APIKeyRecord: Sendable, Equatable, Codable {
    package var id: String
    package var name: String
    /// The key's first characters (`lr_3f9a1c0b…`), so a person can tell which key is which.
    package var prefix: String
    package var scopes: [APIKeyScope]
    /// The models the key may use; empty: every model.
    package var models: [String]
    /// The team it acts for (the lead's `team` table); nil: none.
    package var teamID: String?
    /// Who created it (`admin-token:ops`, `account:ana`, `cli:root`).
    package var createdBy: String
    package var createdAt: Date
    package var expiresAt: Date?
    /// When it was last used, written at most once a minute per key per instance.
    package var lastUsedAt: Date?
    package var revokedAt: Date?
    /// Requests a minute this key may make on each instance; nil: `API_KEY_RATE_PER_MINUTE`.
    package var ratePerMinute: Int?

    package enum CodingKeys: String, CodingKey {
        case id, name, prefix, scopes, models
        case teamID = "team", createdBy = "created_by", createdAt = "created_at", expiresAt = "expires_at"
        case lastUsedAt = "last_used_at", revokedAt = "revoked_at", ratePerMinute = "rate_per_minute"
    }

    package init(row: SQLRow) throws {
        id = try row.get("id")
        name = try row.get("name")
        prefix = try row.get("prefix")
        scopes = (try? APIKeyScope.parse(try row.get("scopes"))) ?? []
        models = (try row.get("models") as String).split(separator: " ").map(String.init)
        teamID = try row.get("team_id")
        createdBy = try row.get("created_by")
        createdAt = try row.get("created_at")
        expiresAt = try row.get("expires_at")
        lastUsedAt = try row.get("last_used_at")
        revokedAt = try row.get("revoked_at")
        ratePerMinute = try row.get("rate_per_minute")
    }

    package init(
        id: String, name: String, prefix: String, scopes: [APIKeyScope], models: [String], teamID: String?, createdBy: String, createdAt: Date,
        expiresAt: Date?, lastUsedAt: Date?, revokedAt: Date?, ratePerMinute: Int?
    ) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.scopes = scopes
        self.models = models
        self.teamID = teamID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
        self.ratePerMinute = ratePerMinute
    }

    /// Whether it can be used at `now`: not revoked and not expired.
    package func isLive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }

    /// Who requests with this key come from. Its role follows its widest scope: a key that
    /// may run `/admin/v1` is an admin, one that manages the registry a model admin, one that
    /// only scores an analyst.
    package var principal: Principal {
        let role: Role = scopes.contains(.admin) ? .admin : scopes.contains(.models) ? .modelAdmin : .analyst
        return Principal(kind: .apiKey, id: id, name: name, role: role, teamID: teamID)
    }
}

/// What an admin asks for when creating a key.
package struct NewAPIKey: Sendable, Equatable {
    package var name: String
    package var scopes: [APIKeyScope]
    package var models: [String]
    package var expiresAt: Date?
    package var ratePerMinute: Int?
    package var teamID: String?
    package var createdBy: String

    package init(
        name: String, scopes: [APIKeyScope], models: [String] = [], expiresAt: Date? = nil, ratePerMinute: Int? = nil, teamID: String? = nil,
        createdBy: String
    ) {
        self.name = name
        self.scopes = scopes
        self.models = models
        self.expiresAt = expiresAt
        self.ratePerMinute = ratePerMinute
        self.teamID = teamID
        self.createdBy = createdBy
    }

    /// Refuses what cannot make a usable key, naming the field.
    package func validate(now: Date) throws(APIKeyError) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 60, trimmed == name, !name.contains(where: { $0.isNewline || $0 == ":" }) else {
            throw .invalid("name: 1 to 60 characters, no ':' or line breaks, no spaces around it.")
        }
        guard !scopes.isEmpty else { throw .invalid("scopes: give at least one of \(APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")).") }
        for model in models where model.isEmpty || model.contains(where: { $0 == " " || $0.isNewline }) {
            throw .invalid("models: '\(model.prefix(40))' is not a model name.")
        }
        if let expiresAt, expiresAt <= now { throw .invalid("expires_at: the time is already past.") }
        if let ratePerMinute, !(1...1_000_000).contains(ratePerMinute) { throw .invalid("rate_per_minute: 1 to 1,000,000.") }
    }
}

/// A key just made: its record, and its text — shown once, to the person who made it.
package struct CreatedAPIKey: Sendable {
    package var record: APIKeyRecord
    package var key: String
}
