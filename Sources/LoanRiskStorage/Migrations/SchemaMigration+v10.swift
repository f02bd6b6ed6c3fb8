extension SchemaMigration {
    /// Each row's uploaded cells: a JSON array, in the header's order.
    package static let v10 = SchemaMigration("v10: each row's uploaded cells", [
        Step(
            sqlite: """
                CREATE TABLE "batch_row_cells" (\
                "batch_key" INTEGER NOT NULL REFERENCES "batch"("key") ON DELETE CASCADE, \
                "row_number" INTEGER NOT NULL, \
                "cells" TEXT NOT NULL, \
                PRIMARY KEY ("batch_key", "row_number")) WITHOUT ROWID
                """,
            postgres: """
                CREATE TABLE batch_row_cells (
                  batch_key BIGINT NOT NULL REFERENCES batch (key) ON DELETE CASCADE,
                  row_number BIGINT NOT NULL,
                  cells TEXT NOT NULL,
                  PRIMARY KEY (batch_key, row_number))
                """),
    ])
}
