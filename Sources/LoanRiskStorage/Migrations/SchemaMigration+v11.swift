extension SchemaMigration {
    /// Two indexes GRDB's table builder had named `<table>_on_<column>` on SQLite while
    /// PostgreSQL's were `<table>_<column>`, like every other index here; found by
    /// `SchemaCatalogTests`. SQLite cannot rename an index, so it makes them again (a scan of
    /// `batch` and `audit_batch`, one row per upload); PostgreSQL has nothing to do.
    package static let v11 = SchemaMigration("v11: index names alike on both engines", [
        Step(sqlite: #"DROP INDEX "batch_on_created_at""#, postgres: nil),
        Step(sqlite: #"CREATE INDEX "batch_created_at" ON "batch"("created_at")"#, postgres: nil),
        Step(sqlite: #"DROP INDEX "audit_batch_on_at""#, postgres: nil),
        Step(sqlite: #"CREATE INDEX "audit_batch_at" ON "audit_batch"("at")"#, postgres: nil),
    ])
}
