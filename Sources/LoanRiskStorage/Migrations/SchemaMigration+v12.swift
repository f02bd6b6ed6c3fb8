extension SchemaMigration {
    /// One applicant decided through the form, kept as long as uploads are (`RETENTION_DAYS`)
    /// so its page can be shown again without deciding it again; `cells` is a JSON object of
    /// the values entered, by column; `request_id` is its audit record's.
    package static let v12 = SchemaMigration("v12: the applicant form's decisions", [
        Step(
            sqlite: """
                CREATE TABLE "applicant_decision" (\
                "id" TEXT PRIMARY KEY NOT NULL, \
                "created_at" DATETIME NOT NULL, \
                "request_id" TEXT NOT NULL, \
                "model_name" TEXT NOT NULL, \
                "model_version" TEXT NOT NULL, \
                "cells" TEXT NOT NULL, \
                "probability" DOUBLE NOT NULL, \
                "decision" TEXT NOT NULL, \
                "score" INTEGER)
                """,
            postgres: """
                CREATE TABLE applicant_decision (
                  id TEXT PRIMARY KEY,
                  created_at TIMESTAMPTZ NOT NULL,
                  request_id TEXT NOT NULL,
                  model_name TEXT NOT NULL,
                  model_version TEXT NOT NULL,
                  cells TEXT NOT NULL,
                  probability DOUBLE PRECISION NOT NULL,
                  decision TEXT NOT NULL,
                  score BIGINT)
                """),
        .both(#"CREATE INDEX applicant_decision_created_at ON applicant_decision (created_at)"#),
    ])
}
