import Foundation
import LoanRiskStorage

/// API keys in the application's database. Every creation and revocation bumps
/// `api_key_state.revision` in its own transaction, which is how every instance sharing the
/// database learns of it (`APIKeyRing.refresh`, once a second).
package struct APIKeyStore: Sendable {
    package let database: any SQLDatabase

    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// Makes a key and returns it with its text, which is not stored and cannot be read again.
    package func create(_ new: NewAPIKey, now: Date = Date()) async throws -> CreatedAPIKey {
        try new.validate(now: now)
        let key = APIKeySecret.generate()
        let record = APIKeyRecord(
            id: "key_" + String(APIKeySecret.generate().dropFirst(APIKeySecret.marker.count).prefix(16)), name: new.name,
            prefix: APIKeySecret.prefix(of: key), scopes: APIKeyScope.allCases.filter { new.scopes.contains($0) },
            models: Array(Set(new.models)).sorted(), teamID: new.teamID, createdBy: new.createdBy, createdAt: now, expiresAt: new.expiresAt,
            lastUsedAt: nil, revokedAt: nil, ratePerMinute: new.ratePerMinute)
        let hash = APIKeySecret.digest(key).hex
        try await database.write { db in
            if try await db.queryOne("SELECT id FROM api_key WHERE name = ? AND revoked_at IS NULL", [record.name]) != nil {
                throw APIKeyError.nameTaken(record.name)
            }
            try await db.execute(
                """
                INSERT INTO api_key (id, name, secret_hash, prefix, scopes, models, team_id, created_by, created_at, expires_at, rate_per_minute)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [record.id, record.name, hash, record.prefix, record.scopes.map(\.rawValue).joined(separator: " "), record.models.joined(separator: " "),
                 record.teamID, record.createdBy, now, record.expiresAt, record.ratePerMinute])
            try await db.execute("UPDATE api_key_state SET revision = revision + 1 WHERE id = 1")
        }
        return CreatedAPIKey(record: record, key: key)
    }

    /// Every key, newest first; revoked ones too when asked.
    package func list(includingRevoked: Bool = true) async throws -> [APIKeyRecord] {
        try await database.read { db in
            try await db.query("SELECT * FROM api_key \(includingRevoked ? "" : "WHERE revoked_at IS NULL ") ORDER BY created_at DESC, id")
                .map(APIKeyRecord.init(row:))
        }
    }

    /// Revokes a key (at once on this instance once its ring reloads; within a second on the
    /// others). Revoking a revoked key changes nothing and returns it as it is.
    package func revoke(id: String, now: Date = Date()) async throws -> APIKeyRecord {
        try await database.write { db in
            guard let row = try await db.queryOne("SELECT * FROM api_key WHERE id = ?", [id]) else { throw APIKeyError.notFound(id) }
            var record = try APIKeyRecord(row: row)
            guard record.revokedAt == nil else { return record }
            try await db.execute("UPDATE api_key SET revoked_at = ? WHERE id = ?", [now, id])
            try await db.execute("UPDATE api_key_state SET revision = revision + 1 WHERE id = 1")
            record.revokedAt = now
            return record
        }
    }

    /// The change counter: one indexed row, read once a second by every instance.
    package func revision() async throws -> Int64 {
        try await database.read { db in try await db.scalar("SELECT revision FROM api_key_state WHERE id = 1") ?? 0 }
    }

    /// The keys not revoked, with their digests, and the revision they were read at (one
    /// transaction, so a change cannot fall between the two).
    package func live() async throws -> (revision: Int64, keys: [(digest: APIKeyDigest, record: APIKeyRecord)]) {
        try await database.read { db in
            let revision: Int64 = try await db.scalar("SELECT revision FROM api_key_state WHERE id = 1") ?? 0
            let keys = try await db.query("SELECT * FROM api_key WHERE revoked_at IS NULL").compactMap { row -> (digest: APIKeyDigest, record: APIKeyRecord)? in
                guard let digest = APIKeyDigest(hex: try row.get("secret_hash")) else { return nil }
                return (digest: digest, record: try APIKeyRecord(row: row))
            }
            return (revision: revision, keys: keys)
        }
    }

    /// Writes when keys were last used (a batch, at most once a minute per key).
    package func recordUse(_ uses: [(id: String, at: Date)]) async throws {
        guard !uses.isEmpty else { return }
        try await database.write { db in
            for use in uses {
                try await db.execute("UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)", [use.at, use.id, use.at])
            }
        }
    }
}
