extension SchemaMigration {
    /// Where a batch's reasons file job stands (state: queued | running | failed), so that
    /// every instance on the database can tell a job another one runs (and how far it is)
    /// from one never started.
    package static let v7 = SchemaMigration("v7: reasons jobs shared by instances", [
        Step(
            sqlite: """
                CREATE TABLE "batch_reasons_job" (\
                "batch_key" INTEGER PRIMARY KEY REFERENCES "batch"("key") ON DELETE CASCADE, \
                "state" TEXT NOT NULL, \
                "done" INTEGER NOT NULL, \
                "total" INTEGER NOT NULL, \
                "message" TEXT, \
                "updated_at" DATETIME NOT NULL)
                """,
            postgres: """
                CREATE TABLE batch_reasons_job (
                  batch_key BIGINT PRIMARY KEY REFERENCES batch (key) ON DELETE CASCADE,
                  state TEXT NOT NULL,
                  done BIGINT NOT NULL,
                  total BIGINT NOT NULL,
                  message TEXT,
                  updated_at TIMESTAMPTZ NOT NULL)
                """),
    ])
}
