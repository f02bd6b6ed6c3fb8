import GRDB

/// Applies `SchemaMigrations.all` to SQLite before the server starts, through GRDB's
/// `DatabaseMigrator`: each migration's SQLite statements in one transaction, foreign keys
/// checked at its end, its identifier recorded in `grdb_migrations` (as since the first
/// release, so every database migrated before is recognised). A database already migrated by
/// a newer LoanRisk is refused rather than run on a schema this one does not know.
package enum SQLiteMigrations {
    package static func migrate(_ writer: any DatabaseWriter) throws {
        let known = Set(migrator.migrations)
        let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else { throw SQLError.newerSchema(applied: unknown) }
        try migrator.migrate(writer)
    }

    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            let statements = migration.sqlite
            migrator.registerMigration(migration.identifier) { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        return migrator
    }
}
