extension SchemaMigration {
    /// Analysts' decisions (approve | decline) on rows the policy sent to review.
    package static let v9 = SchemaMigration("v9: analysts' decisions on review cases", [
        Step(
            sqlite: """
                CREATE TABLE "batch_review" (\
                "batch_key" INTEGER NOT NULL REFERENCES "batch"("key") ON DELETE CASCADE, \
                "row_number" INTEGER NOT NULL, \
                "decision" TEXT NOT NULL, \
                "note" TEXT NOT NULL, \
                "decided_at" DATETIME NOT NULL, \
                PRIMARY KEY ("batch_key", "row_number"))
                """,
            postgres: """
                CREATE TABLE batch_review (
                  batch_key BIGINT NOT NULL REFERENCES batch (key) ON DELETE CASCADE,
                  row_number BIGINT NOT NULL,
                  decision TEXT NOT NULL,
                  note TEXT NOT NULL,
                  decided_at TIMESTAMPTZ NOT NULL,
                  PRIMARY KEY (batch_key, row_number))
                """),
    ])
}
