import Foundation
import LoanRiskStorage

/// The model registry in the application's database: versions, aliases and their history.
/// Every change is one transaction that also bumps `registry_state.generation`, which
/// every running instance polls, and is announced to them (`notifyRegistryChanged`) so that
/// they pick it up at once where the engine can tell them.
public struct RegistryStore: Sendable {
    package let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// What `register` did.
    public enum Registration: Sendable, Equatable {
        case created
        /// The same name, version and sha256 were already stored: nothing changed.
        case alreadyStored
    }

    /// Stores a new version. The same name and version with other content is refused:
    /// versions are immutable, so a retrained model needs a version of its own. Instances
    /// starting together register the same bundles at the same moment: the insert that meets
    /// the row another one has just stored does nothing, and that row is judged like one
    /// stored before.
    public func register(_ record: ModelVersionRecord) async throws(LifecycleError) -> Registration {
        try await change("The version could not be stored") { db in
            func stored() async throws -> Registration? {
                guard let existing = try await db.scalar(
                    "SELECT sha256 FROM model_version WHERE name = ? AND version = ?", [record.name, record.version], as: String.self) else { return nil }
                guard existing == record.sha256 else {
                    throw LifecycleError(.conflict, "\(record.name) \(record.version) is already registered with another model (sha256 \(existing.prefix(12))…, this one \(record.sha256.prefix(12))…). Versions never change: give the new model a version of its own.")
                }
                return .alreadyStored
            }
            if let found = try await stored() { return (found, false) }
            if try await db.insertUnlessPresent(record, into: ModelVersionRecord.table, key: ["name", "version"]) { return (.created, true) }
            guard let found = try await stored() else {
                throw LifecycleError(.storage, "\(record.name) \(record.version) was neither stored nor found; try again.")
            }
            return (found, false)
        }
    }

    /// A version with its files, or nil.
    public func version(name: String, version: String) async throws -> ModelVersionRecord? {
        try await database.read { db in
            try await db.queryOne("SELECT * FROM model_version WHERE name = ? AND version = ?", [name, version])?.decode(ModelVersionRecord.self)
        }
    }

    /// Every alias currently set.
    public func aliases() async throws -> [ModelAliasRecord] {
        try await database.read { db in
            try await db.query("SELECT * FROM model_alias ORDER BY name, alias").map { try $0.decode(ModelAliasRecord.self) }
        }
    }

    /// The version an alias points at, or nil.
    public func alias(_ alias: ModelAlias, of name: String) async throws -> ModelAliasRecord? {
        try await database.read { db in try await Self.alias(alias, of: name, db) }
    }

    private static func alias(_ alias: ModelAlias, of name: String, _ db: any SQLConnection) async throws -> ModelAliasRecord? {
        try await db.queryOne("SELECT * FROM model_alias WHERE name = ? AND alias = ?", [name, alias.rawValue])?.decode(ModelAliasRecord.self)
    }

    /// Every version (without files), newest first within each name, with its aliases.
    public func summaries(name: String? = nil) async throws -> [ModelVersionSummary] {
        try await database.read { db in
            let rows = try await db.query(
                "SELECT \(ModelVersionRecord.summaryColumns) FROM model_version \(name == nil ? "" : "WHERE name = ?") ORDER BY name, created_at DESC, version DESC",
                name.map { [$0] } ?? [])
            let aliases = try await db.query("SELECT * FROM model_alias").map { try $0.decode(ModelAliasRecord.self) }
            return try rows.map { row in
                let name: String = try row.get("name")
                let version: String = try row.get("version")
                let held = aliases.filter { $0.name == name && $0.version == version }
                return ModelVersionSummary(
                    name: name, version: version, sha256: try row.get("sha256"), createdAt: try row.get("created_at"),
                    createdBy: try row.get("created_by"),
                    aliases: held.map(\.alias).sorted { $0.rawValue < $1.rawValue },
                    promotedBy: held.first { $0.alias == .champion }?.setBy ?? held.first?.setBy,
                    promotedAt: held.first { $0.alias == .champion }?.setAt ?? held.first?.setAt,
                    hasGoldenRows: try row.get("has_golden_rows"))
            }
        }
    }

    /// Points `alias` of `name` at `version` and records the move (nothing is recorded when
    /// it already points there). Returns the version it pointed at before.
    @discardableResult
    public func setAlias(_ alias: ModelAlias, of name: String, to version: String, actor: String, forced: Bool = false, now: Date = Date()) async throws(LifecycleError) -> String? {
        try await change("The alias could not be moved") { db in
            guard try await Self.exists(name: name, version: version, db) else {
                throw LifecycleError(.notFound, "There is no version \(version) of \(name).")
            }
            let previous = try await Self.alias(alias, of: name, db)
            if previous?.version == version { return (version, false) }
            if alias == .challenger, let champion = try await Self.alias(.champion, of: name, db), champion.version == version {
                throw LifecycleError(.conflict, "\(name) \(version) is the champion; a challenger must be another version.")
            }
            if alias == .champion, let challenger = try await Self.alias(.challenger, of: name, db), challenger.version == version {
                // The challenger wins: it is no longer challenging anything.
                try await db.execute("DELETE FROM model_alias WHERE name = ? AND alias = ?", [name, ModelAlias.challenger.rawValue])
                try await Self.record(AliasEvent(name: name, alias: .challenger, fromVersion: version, toVersion: nil, actor: actor, at: now, forced: false), db)
            }
            try await db.execute(
                """
                INSERT INTO model_alias (name, alias, version, set_at, set_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, set_at = excluded.set_at, set_by = excluded.set_by
                """,
                [name, alias.rawValue, version, now, actor])
            try await Self.record(AliasEvent(name: name, alias: alias, fromVersion: previous?.version, toVersion: version, actor: actor, at: now, forced: forced), db)
            return (previous?.version, true)
        }
    }

    /// Makes `version` the first champion of `name` — unless `name` has a champion already,
    /// set by an operator or by another instance starting at the same moment, which is kept.
    /// Returns whether it crowned `version`; only a crowning is recorded in the history.
    public func crown(_ name: String, version: String, actor: String, now: Date = Date()) async throws(LifecycleError) -> Bool {
        try await change("The first champion could not be set") { db in
            guard try await Self.exists(name: name, version: version, db) else {
                throw LifecycleError(.notFound, "There is no version \(version) of \(name).")
            }
            let crowned = try await db.scalar(
                """
                INSERT INTO model_alias (name, alias, version, set_at, set_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name, alias) DO NOTHING RETURNING 1
                """,
                [name, ModelAlias.champion.rawValue, version, now, actor], as: Int64.self) != nil
            if crowned {
                try await Self.record(AliasEvent(name: name, alias: .champion, fromVersion: nil, toVersion: version, actor: actor, at: now, forced: false), db)
            }
            return (crowned, crowned)
        }
    }

    /// Clears an alias (a champion cannot be cleared: something must serve). Returns the
    /// version it pointed at, or nil when it was not set.
    @discardableResult
    public func clearAlias(_ alias: ModelAlias, of name: String, actor: String, now: Date = Date()) async throws(LifecycleError) -> String? {
        guard alias == .challenger else {
            throw LifecycleError(.conflict, "The champion cannot be cleared: promote another version, or roll back.")
        }
        return try await change("The alias could not be cleared") { db in
            guard let current = try await Self.alias(alias, of: name, db) else { return (nil, false) }
            try await db.execute("DELETE FROM model_alias WHERE name = ? AND alias = ?", [name, alias.rawValue])
            try await Self.record(AliasEvent(name: name, alias: alias, fromVersion: current.version, toVersion: nil, actor: actor, at: now, forced: false), db)
            return (current.version, true)
        }
    }

    /// The champion's moves, newest first.
    public func history(of name: String, alias: ModelAlias? = nil) async throws -> [AliasEvent] {
        try await database.read { db in
            try await db.query(
                "SELECT * FROM model_alias_event WHERE name = ? \(alias == nil ? "" : "AND alias = ?") ORDER BY id DESC",
                [name] + (alias.map { [$0.rawValue] } ?? [])
            ).map { try $0.decode(AliasEvent.self) }
        }
    }

    /// Deletes a version that serves nothing and scored no stored batch.
    public func remove(name: String, version: String) async throws(LifecycleError) {
        try await change("The version could not be removed") { db in
            guard try await Self.exists(name: name, version: version, db) else {
                throw LifecycleError(.notFound, "There is no version \(version) of \(name).")
            }
            if let held = try await db.scalar("SELECT alias FROM model_alias WHERE name = ? AND version = ?", [name, version], as: String.self) {
                throw LifecycleError(.conflict, "\(name) \(version) is the \(held); promote another version (or clear the challenger) before removing it.")
            }
            let batches = try await db.scalar("SELECT COUNT(*) FROM batch WHERE model_name = ? AND model_version = ?", [name, version], as: Int.self) ?? 0
            if batches > 0 {
                throw LifecycleError(.conflict, "\(name) \(version) scored \(batches) stored batch\(batches == 1 ? "" : "es"), whose reasons need it; delete them, or wait for the retention period, before removing it.")
            }
            try await db.execute("DELETE FROM model_version WHERE name = ? AND version = ?", [name, version])
            return ((), true)
        }
    }

    /// The registry's change counter: it moves with every change by any instance or the CLI.
    public func generation() async throws -> Int64 {
        try await database.read { db in try await db.scalar("SELECT generation FROM registry_state WHERE id = 1") ?? 0 }
    }

    /// Runs one registry change in a transaction (`body` returns its result and whether it
    /// changed anything); a change bumps the generation and is announced after its commit.
    private func change<T: Sendable>(
        _ failure: String, _ body: @escaping @Sendable (any SQLConnection) async throws -> (T, changed: Bool)
    ) async throws(LifecycleError) -> T {
        do {
            let (value, changed) = try await database.write { db in
                let outcome = try await body(db)
                if outcome.changed { try await db.execute("UPDATE registry_state SET generation = generation + 1 WHERE id = 1") }
                return outcome
            }
            if changed { await database.notifyRegistryChanged() }
            return value
        } catch let error as LifecycleError {
            throw error
        } catch {
            throw LifecycleError(storage: failure, error)
        }
    }

    private static func exists(name: String, version: String, _ db: any SQLConnection) async throws -> Bool {
        try await db.queryOne("SELECT 1 FROM model_version WHERE name = ? AND version = ?", [name, version]) != nil
    }

    private static func record(_ event: AliasEvent, _ db: any SQLConnection) async throws {
        try await db.insert(event, into: AliasEvent.table, skipping: ["id"])
    }
}
