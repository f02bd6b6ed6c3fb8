import Foundation
import Logging
import Scoring

/// What start-up does to the registry, so a fresh clone serves as it always did: every
/// bundle folder under `Data/models` is registered (once; a stored version is left as it
/// is), and `MODEL`, when it is a path, too. A name that has no champion yet gets the
/// version just registered as its champion; a name that has one keeps it — promotions are
/// the operator's, never start-up's. Every step is idempotent, so instances starting together
/// on an empty database (replicas, a rolling update) all come up: a version one of them has
/// just stored is "already there" for the others, and the first champion set is kept.
package enum RegistryBootstrap {
    package static let actor = "start-up"

    /// Registers what start-up brings and returns the default model's name.
    package static func run(lifecycle: ModelLifecycle, modelsDirectory: URL, model: String, logger: Logger) async throws -> String {
        let folders = (try? FileManager.default.contentsOfDirectory(at: modelsDirectory, includingPropertiesForKeys: nil)) ?? []
        var names: [String] = []
        for folder in folders.sorted(by: { $0.lastPathComponent < $1.lastPathComponent })
        where FileManager.default.fileExists(atPath: folder.appendingPathComponent("bundle.json").path) {
            names.append(try await registerAndCrown(ModelLifecycle.Files(location: folder), lifecycle: lifecycle, logger: logger))
        }
        if names.contains(model) { return model }
        if try await lifecycle.store.alias(.champion, of: model) != nil { return model }
        let location = URL(fileURLWithPath: model)
        guard FileManager.default.fileExists(atPath: location.path) else {
            throw ConfigurationError("MODEL='\(model)' is neither a model in the registry (\(names.isEmpty ? "none found" : names.joined(separator: ", "))) nor a path to a model.")
        }
        do {
            return try await registerAndCrown(ModelLifecycle.Files(location: location), lifecycle: lifecycle, logger: logger)
        } catch let error as LifecycleError {
            throw ConfigurationError("MODEL='\(model)': \(error.message)")
        }
    }

    /// Registers the files and, when their name has no champion, makes them it.
    /// A version already stored is recognised from its bundle.json and sha256 without loading
    /// the model again, so restarts cost no model loads beyond the serving ones.
    private static func registerAndCrown(_ files: ModelLifecycle.Files, lifecycle: ModelLifecycle, logger: Logger) async throws -> String {
        if let manifest = files.bundle.flatMap({ try? BundleManifest.decode($0) }),
           let stored = try await lifecycle.store.version(name: manifest.name, version: manifest.version),
           stored.sha256 == SHA256.hexDigest(files.model), try await lifecycle.store.alias(.champion, of: manifest.name) != nil {
            return manifest.name
        }
        let (record, bundle) = try ModelLifecycle.loaded(files, actor: actor)
        if try await lifecycle.store.register(record) == .created {
            logger.info("registry: registered", metadata: ["model": .string(record.name), "version": .string(record.version), "sha256": .string(record.sha256)])
        }
        if try await lifecycle.store.alias(.champion, of: record.name) == nil,
           try await lifecycle.crown((bundle, record), actor: actor) {
            logger.info("registry: first champion", metadata: ["model": .string(record.name), "version": .string(record.version)])
        }
        return record.name
    }
}
