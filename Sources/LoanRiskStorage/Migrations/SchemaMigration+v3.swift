extension SchemaMigration {
    /// An upload's batch is committed (and its page shown) first; its row features follow in
    /// a second transaction, so reasons cost the upload nothing. Set while they are due.
    package static let v3 = SchemaMigration("v3: features written after the batch", [
        Step(
            sqlite: #"ALTER TABLE "batch" ADD COLUMN "features_pending" BOOLEAN NOT NULL DEFAULT 0"#,
            postgres: "ALTER TABLE batch ADD COLUMN features_pending BOOLEAN NOT NULL DEFAULT FALSE"),
    ])
}
