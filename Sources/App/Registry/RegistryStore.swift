import Foundation
import GRDB

/// The model registry in the application's database: versions, aliases and their history.
/// Every change is one transaction that also bumps `registry_state.generation`, which
/// every running instance polls to pick the change up.
public struct RegistryStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// What `register` did.
    public enum Registration: Sendable, Equatable {
        case created
        /// The same name, version and sha256 were already stored: nothing changed.
        case alreadyStored
    }

    /// Stores a new version. The same name and version with other content is refused:
    /// versions are immutable, so a retrained model needs a version of its own.
    public func register(_ record: ModelVersionRecord) async throws(LifecycleError) -> Registration {
        do {
            return try await database.writer.write { db in
                if let existing = try ModelVersionRecord.fetchOne(db, key: ["name": record.name, "version": record.version]) {
                    guard existing.sha256 == record.sha256 else {
                        throw LifecycleError(.conflict, "\(record.name) \(record.version) is already registered with another model (sha256 \(existing.sha256.prefix(12))…, this one \(record.sha256.prefix(12))…). Versions never change: give the new model a version of its own.")
                    }
                    return .alreadyStored
                }
                try record.insert(db)
                try Self.bump(db)
                return .created
            }
        } catch let error as LifecycleError {
            throw error
        } catch {
            throw LifecycleError(.storage, "The version could not be stored: \(error)")
        }
    }

    /// A version with its files, or nil.
    public func version(name: String, version: String) async throws -> ModelVersionRecord? {
        try await database.writer.read { db in try ModelVersionRecord.fetchOne(db, key: ["name": name, "version": version]) }
    }

    /// Every alias currently set.
    public func aliases() async throws -> [ModelAliasRecord] {
        try await database.writer.read { db in try ModelAliasRecord.order(Column("name"), Column("alias")).fetchAll(db) }
    }

    /// The version an alias points at, or nil.
    public func alias(_ alias: ModelAlias, of name: String) async throws -> ModelAliasRecord? {
        try await database.writer.read { db in try ModelAliasRecord.fetchOne(db, key: ["name": name, "alias": alias.rawValue]) }
    }

    /// Every version (without files), newest first within each name, with its aliases.
    public func summaries(name: String? = nil) async throws -> [ModelVersionSummary] {
        try await database.writer.read { db in
            var request = ModelVersionRecord.select(ModelVersionRecord.summaryColumns)
            if let name { request = request.filter(Column("name") == name) }
            let rows = try Row.fetchAll(db, request.order(Column("name"), Column("created_at").desc, Column("version").desc))
            let aliases = try ModelAliasRecord.fetchAll(db)
            let golden = try Set(Row.fetchAll(db, sql: "SELECT name, version FROM model_version WHERE golden_csv IS NOT NULL").map { row -> String in
                let name: String = row["name"]
                let version: String = row["version"]
                return name + "\u{0}" + version
            })
            return rows.map { row in
                let name: String = row["name"]
                let version: String = row["version"]
                let held = aliases.filter { $0.name == name && $0.version == version }
                return ModelVersionSummary(
                    name: name, version: version, sha256: row["sha256"], createdAt: row["created_at"], createdBy: row["created_by"],
                    aliases: held.map(\.alias).sorted { $0.rawValue < $1.rawValue },
                    promotedBy: held.first { $0.alias == .champion }?.setBy ?? held.first?.setBy,
                    promotedAt: held.first { $0.alias == .champion }?.setAt ?? held.first?.setAt,
                    hasGoldenRows: golden.contains(name + "\u{0}" + version))
            }
        }
    }

    /// Points `alias` of `name` at `version` and records the move (nothing is recorded when
    /// it already points there). Returns the version it pointed at before.
    @discardableResult
    public func setAlias(_ alias: ModelAlias, of name: String, to version: String, actor: String, forced: Bool = false, now: Date = Date()) async throws(LifecycleError) -> String? {
        do {
            return try await database.writer.write { db in
                guard try ModelVersionRecord.exists(db, key: ["name": name, "version": version]) else {
                    throw LifecycleError(.notFound, "There is no version \(version) of \(name).")
                }
                let previous = try ModelAliasRecord.fetchOne(db, key: ["name": name, "alias": alias.rawValue])
                if previous?.version == version { return version }
                if alias == .challenger, let champion = try ModelAliasRecord.fetchOne(db, key: ["name": name, "alias": ModelAlias.champion.rawValue]),
                   champion.version == version {
                    throw LifecycleError(.conflict, "\(name) \(version) is the champion; a challenger must be another version.")
                }
                if alias == .champion, let challenger = try ModelAliasRecord.fetchOne(db, key: ["name": name, "alias": ModelAlias.challenger.rawValue]),
                   challenger.version == version {
                    // The challenger wins: it is no longer challenging anything.
                    try challenger.delete(db)
                    var cleared = AliasEvent(name: name, alias: .challenger, fromVersion: version, toVersion: nil, actor: actor, at: now, forced: false)
                    try cleared.insert(db)
                }
                try ModelAliasRecord(name: name, alias: alias, version: version, setAt: now, setBy: actor).save(db)
                var event = AliasEvent(name: name, alias: alias, fromVersion: previous?.version, toVersion: version, actor: actor, at: now, forced: forced)
                try event.insert(db)
                try Self.bump(db)
                return previous?.version
            }
        } catch let error as LifecycleError {
            throw error
        } catch {
            throw LifecycleError(.storage, "The alias could not be moved: \(error)")
        }
    }

    /// Clears an alias (a champion cannot be cleared: something must serve). Returns the
    /// version it pointed at, or nil when it was not set.
    @discardableResult
    public func clearAlias(_ alias: ModelAlias, of name: String, actor: String, now: Date = Date()) async throws(LifecycleError) -> String? {
        guard alias == .challenger else {
            throw LifecycleError(.conflict, "The champion cannot be cleared: promote another version, or roll back.")
        }
        do {
            return try await database.writer.write { db in
                guard let current = try ModelAliasRecord.fetchOne(db, key: ["name": name, "alias": alias.rawValue]) else { return nil }
                try current.delete(db)
                var event = AliasEvent(name: name, alias: alias, fromVersion: current.version, toVersion: nil, actor: actor, at: now, forced: false)
                try event.insert(db)
                try Self.bump(db)
                return current.version
            }
        } catch let error as LifecycleError {
            throw error
        } catch {
            throw LifecycleError(.storage, "The alias could not be cleared: \(error)")
        }
    }

    /// The champion's moves, newest first.
    public func history(of name: String, alias: ModelAlias? = nil) async throws -> [AliasEvent] {
        try await database.writer.read { db in
            var request = AliasEvent.filter(Column("name") == name)
            if let alias { request = request.filter(Column("alias") == alias.rawValue) }
            return try request.order(Column("id").desc).fetchAll(db)
        }
    }

    /// Deletes a version that serves nothing and scored no stored batch.
    public func remove(name: String, version: String) async throws(LifecycleError) {
        do {
            try await database.writer.write { db in
                guard try ModelVersionRecord.exists(db, key: ["name": name, "version": version]) else {
                    throw LifecycleError(.notFound, "There is no version \(version) of \(name).")
                }
                if let held = try ModelAliasRecord.filter(Column("name") == name && Column("version") == version).fetchOne(db) {
                    throw LifecycleError(.conflict, "\(name) \(version) is the \(held.alias.rawValue); promote another version (or clear the challenger) before removing it.")
                }
                let batches = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch WHERE model_name = ? AND model_version = ?", arguments: [name, version]) ?? 0
                if batches > 0 {
                    throw LifecycleError(.conflict, "\(name) \(version) scored \(batches) stored batch\(batches == 1 ? "" : "es"), whose reasons need it; delete them, or wait for the retention period, before removing it.")
                }
                _ = try ModelVersionRecord.deleteOne(db, key: ["name": name, "version": version])
                try Self.bump(db)
            }
        } catch let error as LifecycleError {
            throw error
        } catch {
            throw LifecycleError(.storage, "The version could not be removed: \(error)")
        }
    }

    /// The registry's change counter: it moves with every change by any instance or the CLI.
    public func generation() async throws -> Int64 {
        try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT generation FROM registry_state WHERE id = 1") ?? 0 }
    }

    private static func bump(_ db: Database) throws {
        try db.execute(sql: "UPDATE registry_state SET generation = generation + 1 WHERE id = 1")
    }
}
