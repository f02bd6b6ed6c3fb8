extension SchemaMigration {
    /// What reasons need, kept apart from `batch_row` so that the table the results page sorts
    /// and pages stays narrow, and the results CSV with reasons. Batches stored before this
    /// migration have no features: their pages say so.
    package static let v2 = SchemaMigration("v2: row features, reasons files", [
        // Blocks of consecutive rows (`RowFeatures.Block`): features are row_count × model
        // features, little-endian doubles; issues are JSON warnings by row number, NULL when none.
        Step(
            sqlite: """
                CREATE TABLE "batch_row_features" (\
                "batch_key" INTEGER NOT NULL REFERENCES "batch"("key") ON DELETE CASCADE, \
                "first_row" INTEGER NOT NULL, \
                "row_count" INTEGER NOT NULL, \
                "features" BLOB NOT NULL, \
                "issues" TEXT, \
                PRIMARY KEY ("batch_key", "first_row")) WITHOUT ROWID
                """,
            postgres: """
                CREATE TABLE batch_row_features (
                  batch_key BIGINT NOT NULL REFERENCES batch (key) ON DELETE CASCADE,
                  first_row BIGINT NOT NULL,
                  row_count BIGINT NOT NULL,
                  features BYTEA NOT NULL,
                  issues TEXT,
                  PRIMARY KEY (batch_key, first_row))
                """),
        // The results CSV with reasons, made in the background on request (one per batch);
        // byte_count is its uncompressed size.
        Step(
            sqlite: """
                CREATE TABLE "batch_reasons_file" (\
                "batch_key" INTEGER PRIMARY KEY REFERENCES "batch"("key") ON DELETE CASCADE, \
                "gzip" BLOB NOT NULL, \
                "byte_count" INTEGER NOT NULL, \
                "reason_count" INTEGER NOT NULL, \
                "created_at" DATETIME NOT NULL)
                """,
            postgres: """
                CREATE TABLE batch_reasons_file (
                  batch_key BIGINT PRIMARY KEY REFERENCES batch (key) ON DELETE CASCADE,
                  gzip BYTEA NOT NULL,
                  byte_count BIGINT NOT NULL,
                  reason_count BIGINT NOT NULL,
                  created_at TIMESTAMPTZ NOT NULL)
                """),
    ])
}
