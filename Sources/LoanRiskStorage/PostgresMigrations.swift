import Foundation

/// Applies `SchemaMigrations.all` to PostgreSQL: each migration's PostgreSQL statements, in
/// order, its identifier recorded in `schema_migration`. All under an advisory lock in one
/// transaction, so instances starting together migrate once; a database migrated by a newer
/// LoanRisk is refused.
package enum PostgresMigrations {
    /// Any constant: the key of the advisory lock migrations hold.
    private static let lockKey: Int64 = 0x4C6F_616E_5269_736B

    package static func migrate(_ database: PostgresDatabase) async throws {
        let schema = database.schema
        // Patient: a database still starting (a platform starting both at once) is waited for.
        try await database.write(patient: true) { db in
            try await db.execute("SELECT pg_advisory_xact_lock(?)", [lockKey])
            // The name was checked when the URL was read: letters, digits and _ only.
            if let schema { try await db.execute("CREATE SCHEMA IF NOT EXISTS \(schema)") }
            try await db.execute("CREATE TABLE IF NOT EXISTS schema_migration (identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)")
            let applied = Set(try await db.query("SELECT identifier FROM schema_migration").map { try $0.get("identifier", as: String.self) })
            let unknown = applied.subtracting(SchemaMigrations.all.map(\.identifier)).sorted()
            guard unknown.isEmpty else { throw SQLError.newerSchema(applied: unknown) }
            for migration in SchemaMigrations.all where !applied.contains(migration.identifier) {
                for statement in migration.postgres { try await db.execute(statement) }
                try await db.execute("INSERT INTO schema_migration (identifier, applied_at) VALUES (?, ?)", [migration.identifier, Date()])
            }
        }
    }
}
