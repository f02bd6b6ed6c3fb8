extension SchemaMigration {
    /// API keys for systems (`api_key`), and the caller of every decision in the audit log.
    ///
    /// A key is stored only as the SHA-256 of its text (`secret_hash`, hex): keys are 32
    /// random bytes, so a fast hash is as safe as a slow one and costs nothing per request.
    /// `prefix` is the key's first characters, shown in lists so a person can tell keys apart.
    /// `scopes` and `models` are space-separated lists (`models` empty: every model). A name
    /// is unique among the keys not revoked, so a revoked key's name can be given again.
    /// `team_id` names the lead's `team` row without a foreign key (the table is another
    /// migration's). `api_key_state.revision` is bumped by every change, so each instance
    /// notices a creation or revocation with one cheap read a second.
    /// `caller` (`key:origination`, `account:ana`, `admin-token:ops`) is NULL on older records.
    package static let v16 = SchemaMigration("v16: API keys, and the caller of each audited decision", [
        Step(
            sqlite: """
                CREATE TABLE "api_key" (\
                "id" TEXT PRIMARY KEY NOT NULL, \
                "name" TEXT NOT NULL, \
                "secret_hash" TEXT NOT NULL, \
                "prefix" TEXT NOT NULL, \
                "scopes" TEXT NOT NULL, \
                "models" TEXT NOT NULL, \
                "team_id" TEXT, \
                "created_by" TEXT NOT NULL, \
                "created_at" DATETIME NOT NULL, \
                "expires_at" DATETIME, \
                "last_used_at" DATETIME, \
                "revoked_at" DATETIME, \
                "rate_per_minute" INTEGER)
                """,
            postgres: """
                CREATE TABLE api_key (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  secret_hash TEXT NOT NULL,
                  prefix TEXT NOT NULL,
                  scopes TEXT NOT NULL,
                  models TEXT NOT NULL,
                  team_id TEXT,
                  created_by TEXT NOT NULL,
                  created_at TIMESTAMPTZ NOT NULL,
                  expires_at TIMESTAMPTZ,
                  last_used_at TIMESTAMPTZ,
                  revoked_at TIMESTAMPTZ,
                  rate_per_minute BIGINT)
                """),
        .both("CREATE UNIQUE INDEX api_key_secret_hash ON api_key (secret_hash)"),
        .both("CREATE UNIQUE INDEX api_key_live_name ON api_key (name) WHERE revoked_at IS NULL"),
        Step(
            sqlite: #"CREATE TABLE "api_key_state" ("id" INTEGER PRIMARY KEY CHECK ("id" = 1), "revision" INTEGER NOT NULL)"#,
            postgres: "CREATE TABLE api_key_state (id BIGINT PRIMARY KEY CHECK (id = 1), revision BIGINT NOT NULL)"),
        .both("INSERT INTO api_key_state (id, revision) VALUES (1, 0)"),
        .both("ALTER TABLE audit_record ADD COLUMN caller TEXT"),
        .both("ALTER TABLE audit_batch ADD COLUMN caller TEXT"),
    ])
}
