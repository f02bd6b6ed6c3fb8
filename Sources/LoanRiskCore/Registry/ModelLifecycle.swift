import Foundation
import Scoring

/// The registry's operations, shared by the admin API, the CLI and start-up: register a
/// version from its files, promote one (after validating it), roll back, clear a
/// challenger, remove a version. Refusals are `LifecycleError`s that say why.
public struct ModelLifecycle: Sendable {
    public let store: RegistryStore

    public init(store: RegistryStore) {
        self.store = store
    }

    /// A model's files as submitted: the model file (any kind `ModelFile` reads), and
    /// optionally `bundle.json` and `golden.csv`.
    public struct Files: Sendable {
        public var model: Data
        public var bundle: Data?
        public var golden: Data?
        /// The name for a bare model file (a bundle names itself).
        public var name: String?

        public init(model: Data, bundle: Data? = nil, golden: Data? = nil, name: String? = nil) {
            self.model = model
            self.bundle = bundle
            self.golden = golden
            self.name = name
        }

        /// Reads a bundle folder (its model file, `bundle.json`, `golden.csv` when present), a
        /// folder holding only a model file, or a model file itself; a bare model is named by
        /// `name`, else by its folder (or its file name when that is not a bundle's model file name).
        public init(location url: URL, name: String? = nil) throws(LifecycleError) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw LifecycleError(.notFound, "There is no model at \(url.path).")
            }
            let folder = isDirectory.boolValue ? url : url.deletingLastPathComponent()
            let modelURL = isDirectory.boolValue ? ModelBundle.modelFile(in: url) : url
            let bundleFileName = ModelFile.bundleFileNames.contains(modelURL.lastPathComponent)
            do {
                model = try Data(contentsOf: modelURL)
            } catch {
                throw LifecycleError(.notFound, "Cannot read \(modelURL.path): \(error.localizedDescription)")
            }
            let bundleURL = folder.appendingPathComponent("bundle.json")
            let goldenURL = folder.appendingPathComponent("golden.csv")
            let isBundle = isDirectory.boolValue || bundleFileName
            bundle = isBundle ? try? Data(contentsOf: bundleURL) : nil
            golden = isBundle && bundle != nil ? try? Data(contentsOf: goldenURL) : nil
            self.name = name ?? (bundleFileName ? folder.lastPathComponent : ModelBundle.stem(of: modelURL))
        }
    }

    /// Loads a stored version, checking its files' sha256 against the one recorded: on
    /// every load, so a version changed in the database behind the registry's back is refused.
    public static func load(_ record: ModelVersionRecord) throws(LifecycleError) -> ModelBundle {
        let digest = SHA256.hexDigest(record.modelText)
        guard digest == record.sha256 else {
            throw LifecycleError(.invalid, "\(record.name) \(record.version) is damaged: its model file has sha256 \(digest), the registry recorded \(record.sha256).")
        }
        let bundle: ModelBundle
        do {
            if let manifest = record.bundleJSON {
                bundle = try ModelBundle(modelData: record.modelText, manifestData: manifest)
            } else {
                bundle = try ModelBundle(bareModelData: record.modelText, name: record.name)
            }
        } catch {
            throw LifecycleError(.invalid, "\(record.name) \(record.version) does not load: \(error.message)")
        }
        guard bundle.name == record.name, bundle.version == record.version else {
            throw LifecycleError(.invalid, "The stored files are \(bundle.name) \(bundle.version), not \(record.name) \(record.version).")
        }
        return bundle
    }

    /// Checks that the files load, and makes the version's record (name and version from
    /// bundle.json, else the given name and the first 12 hex digits of the sha256).
    public static func record(for files: Files, actor: String, now: Date = Date()) throws(LifecycleError) -> ModelVersionRecord {
        try loaded(files, actor: actor, now: now).record
    }

    /// `record(for:)`, with the bundle it loaded.
    package static func loaded(_ files: Files, actor: String, now: Date = Date()) throws(LifecycleError) -> (record: ModelVersionRecord, bundle: ModelBundle) {
        let bundle: ModelBundle
        do {
            if let manifest = files.bundle {
                bundle = try ModelBundle(modelData: files.model, manifestData: manifest)
            } else {
                guard let name = files.name, ModelName.isValid(name) else {
                    throw LifecycleError(.invalid, "A bare model file needs a name: letters, digits, '-', '_' or '.', at most 64 (got '\(files.name ?? "")').")
                }
                bundle = try ModelBundle(bareModelData: files.model, name: name)
            }
        } catch let error as LifecycleError {
            throw error
        } catch let error as BundleLoadError {
            throw LifecycleError(.invalid, "The model does not load: \(error.message)")
        } catch {
            throw LifecycleError(.invalid, "The model does not load: \(error)")
        }
        guard ModelName.isValid(bundle.name), ModelName.isValid(bundle.version) else {
            throw LifecycleError(.invalid, "'\(bundle.name)' \(bundle.version): names and versions are letters, digits, '-', '_' or '.', at most 64.")
        }
        let record = ModelVersionRecord(
            name: bundle.name, version: bundle.version, sha256: bundle.sha256, modelText: files.model, bundleJSON: files.bundle,
            goldenCSV: files.golden, createdAt: now, createdBy: actor)
        return (record, bundle)
    }

    /// Registers the files as a new version (or finds them already stored); never promotes.
    @discardableResult
    public func register(_ files: Files, actor: String) async throws(LifecycleError) -> (record: ModelVersionRecord, registration: RegistryStore.Registration) {
        let record = try Self.record(for: files, actor: actor)
        let registration = try await store.register(record)
        return (record, registration)
    }

    /// What a promotion checked and did.
    public struct Promotion: Sendable, Codable, Equatable {
        public var name: String
        public var alias: ModelAlias
        public var version: String
        public var sha256: String
        public var previous: String?
        public var inputChanges: InputChanges
        public var goldenRows: Int?
        public var forced: Bool

        package enum CodingKeys: String, CodingKey {
            case name, alias, version, sha256, previous, forced
            case inputChanges = "input_changes", goldenRows = "golden_rows"
        }
    }

    /// Points `alias` at `version` once the version passes validation: it loads (sha256
    /// checked), its golden rows reproduce, and its inputs equal the champion's — or `force`
    /// accepts the listed differences.
    public func promote(name: String, version: String, alias: ModelAlias = .champion, actor: String, force: Bool = false) async throws(LifecycleError) -> Promotion {
        try await promote(try await validated(name: name, version: version), alias: alias, actor: actor, force: force)
    }

    /// `promote`, for a version already loaded (sha256 checked); its golden rows are checked
    /// here, once, before its inputs.
    package func promote(_ candidate: (ModelBundle, ModelVersionRecord), alias: ModelAlias, actor: String, force: Bool) async throws(LifecycleError) -> Promotion {
        let (bundle, record) = candidate
        let (name, version) = (record.name, record.version)
        let goldenRows = try goldenCount(record, bundle)
        let champion = try await currentChampion(name)
        let changes = champion.map { InputChanges(from: $0.schema, to: bundle.schema) } ?? InputChanges(from: bundle.schema, to: bundle.schema)
        if !changes.isEmpty, !force {
            throw LifecycleError(
                .inputsChanged,
                "\(name) \(version) \(changes.sentence) compared with the champion \(champion?.version ?? ""). Files and systems that feed \(name) would need to change; promote with force to accept.",
                inputChanges: changes)
        }
        let previous = try await store.setAlias(alias, of: name, to: version, actor: actor, forced: force && !changes.isEmpty)
        return Promotion(
            name: name, alias: alias, version: version, sha256: record.sha256, previous: previous == version ? nil : previous,
            inputChanges: changes, goldenRows: goldenRows, forced: force && !changes.isEmpty)
    }

    /// Makes a version just registered its name's first champion, validated as a promotion
    /// is (its golden rows must reproduce) — unless the name has a champion by then, which is
    /// kept (another instance starting at the same moment may have crowned it). Returns
    /// whether it crowned this one.
    package func crown(_ candidate: (ModelBundle, ModelVersionRecord), actor: String) async throws(LifecycleError) -> Bool {
        let (bundle, record) = candidate
        _ = try goldenCount(record, bundle)
        return try await store.crown(record.name, version: record.version, actor: actor)
    }

    /// Makes the champion before the current one champion again (validated like any promotion;
    /// input changes are accepted, since that version served before).
    public func rollback(name: String, actor: String) async throws(LifecycleError) -> Promotion {
        let history: [AliasEvent]
        let current: ModelAliasRecord?
        do {
            current = try await store.alias(.champion, of: name)
            history = try await store.history(of: name, alias: .champion)
        } catch {
            throw LifecycleError(storage: "The registry could not be read", error)
        }
        guard let current else { throw LifecycleError(.notFound, "\(name) has no champion to roll back.") }
        guard let last = history.first(where: { $0.toVersion == current.version }), let previous = last.fromVersion else {
            throw LifecycleError(.conflict, "\(name) \(current.version) is the first champion \(name) has had; there is nothing to roll back to.")
        }
        return try await promote(name: name, version: previous, alias: .champion, actor: actor, force: true)
    }

    /// Loads a stored version, its sha256 checked (`promote` checks its golden rows).
    public func validated(name: String, version: String) async throws(LifecycleError) -> (ModelBundle, ModelVersionRecord) {
        let stored: ModelVersionRecord?
        do {
            stored = try await store.version(name: name, version: version)
        } catch {
            throw LifecycleError(storage: "The registry could not be read", error)
        }
        guard let record = stored else { throw LifecycleError(.notFound, "There is no version \(version) of \(name).") }
        return (try Self.load(record), record)
    }

    /// The number of golden rows reproduced, nil without any; a mismatch is refused.
    private func goldenCount(_ record: ModelVersionRecord, _ bundle: ModelBundle) throws(LifecycleError) -> Int? {
        guard let golden = record.goldenCSV else { return nil }
        let report: GoldenRows.Report
        do {
            report = try GoldenRows.check(bundle, csv: golden)
        } catch {
            throw LifecycleError(.invalid, "\(record.name) \(record.version): \(error.message)")
        }
        guard report.passed else {
            let first = report.mismatches.prefix(3).map { m in
                "row \(m.row): LightGBM \(m.expected), here \(m.got.map { String($0) } ?? "not scored (\(m.status ?? ""))")"
            }.joined(separator: "; ")
            throw LifecycleError(.invalid, "\(record.name) \(record.version) does not reproduce its golden rows: \(report.mismatches.count) of \(report.rows) differ (\(first)).", golden: report.abridged())
        }
        return report.rows
    }

    private func currentChampion(_ name: String) async throws(LifecycleError) -> ModelBundle? {
        let record: ModelVersionRecord?
        do {
            guard let alias = try await store.alias(.champion, of: name) else { return nil }
            record = try await store.version(name: name, version: alias.version)
        } catch {
            throw LifecycleError(storage: "The registry could not be read", error)
        }
        return try record.map { record throws(LifecycleError) in try Self.load(record) }
    }
}

/// Names and versions in URLs, file names and metric labels: a safe, bounded alphabet.
public enum ModelName {
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
