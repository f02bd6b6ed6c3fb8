extension SchemaMigration {
    /// Named views of a model's batches (`saved_view`): the sort, filters and columns of the
    /// batch page as the query text that reproduces them — never a search term, which may be
    /// an applicant's personal data. `name_key` is the name folded to lower case, unique per
    /// model, so "Declines" and "declines" cannot both exist.
    package static let v14 = SchemaMigration("v14: saved views of batches, per model", [
        Step(
            sqlite: """
                CREATE TABLE "saved_view" (\
                "id" TEXT PRIMARY KEY NOT NULL, \
                "model_name" TEXT NOT NULL, \
                "name" TEXT NOT NULL, \
                "name_key" TEXT NOT NULL, \
                "query" TEXT NOT NULL, \
                "created_at" DATETIME NOT NULL)
                """,
            postgres: """
                CREATE TABLE saved_view (
                  id TEXT PRIMARY KEY,
                  model_name TEXT NOT NULL,
                  name TEXT NOT NULL,
                  name_key TEXT NOT NULL,
                  query TEXT NOT NULL,
                  created_at TIMESTAMPTZ NOT NULL)
                """),
        .both(#"CREATE UNIQUE INDEX saved_view_model_name ON saved_view (model_name, name_key)"#),
    ])
}
