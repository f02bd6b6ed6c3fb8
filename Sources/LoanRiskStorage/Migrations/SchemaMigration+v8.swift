extension SchemaMigration {
    /// The decimal mark a batch's file was read with (`point` or `comma`).
    package static let v8 = SchemaMigration("v8: the decimal mark a batch was read with", [
        Step(
            sqlite: #"ALTER TABLE "batch" ADD COLUMN "decimal_mark" TEXT NOT NULL DEFAULT 'point'"#,
            postgres: "ALTER TABLE batch ADD COLUMN decimal_mark TEXT NOT NULL DEFAULT 'point'"),
    ])
}
