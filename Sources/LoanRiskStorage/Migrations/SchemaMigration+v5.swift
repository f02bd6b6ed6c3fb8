extension SchemaMigration {
    /// The upload's drift report (JSON `DriftReport`) and its band; NULL for models without a
    /// reference.
    package static let v5 = SchemaMigration("v5: batch drift", [
        Step(
            sqlite: #"ALTER TABLE "batch" ADD COLUMN "drift" TEXT"#,
            postgres: "ALTER TABLE batch ADD COLUMN drift TEXT"),
        Step(
            sqlite: #"ALTER TABLE "batch" ADD COLUMN "drift_band" TEXT"#,
            postgres: "ALTER TABLE batch ADD COLUMN drift_band TEXT"),
    ])
}
