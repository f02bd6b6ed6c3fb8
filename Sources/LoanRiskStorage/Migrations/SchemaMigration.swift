/// One named change to the schema, written once for both engines: each step holds its
/// SQLite statement and, beside it, its PostgreSQL one, so a reader (and a reviewer of the
/// next migration) sees the two dialects side by side. `SchemaMigrations.all` lists them in
/// the order they apply; `SQLiteMigrations` and `PostgresMigrations` run them.
///
/// The SQLite statements of v1–v10 are the text GRDB's table builder wrote when they were
/// written with it (SQLite keeps that text in `sqlite_master`), so a database migrated then
/// and one migrated now hold the same schema to the byte; later ones follow its style.
package struct SchemaMigration: Sendable {
    /// The name recorded in `grdb_migrations` (SQLite) or `schema_migration` (PostgreSQL)
    /// once the migration is applied. Never change one: databases hold it.
    package let identifier: String
    package let steps: [Step]

    package init(_ identifier: String, _ steps: [Step]) {
        self.identifier = identifier
        self.steps = steps
    }

    /// One statement in each dialect; nil where an engine has nothing to do at that step.
    package struct Step: Sendable {
        package let sqlite: String?
        package let postgres: String?

        package init(sqlite: String?, postgres: String?) {
            self.sqlite = sqlite
            self.postgres = postgres
        }

        /// A statement both engines read alike.
        package static func both(_ sql: String) -> Step {
            Step(sqlite: sql, postgres: sql)
        }
    }

    package var sqlite: [String] { steps.compactMap(\.sqlite) }
    package var postgres: [String] { steps.compactMap(\.postgres) }
}
