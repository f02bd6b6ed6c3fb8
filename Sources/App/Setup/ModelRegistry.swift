import Foundation
import Scoring
import Synchronization

/// The models the server can score with, by name, and which one is the default. Reads are
/// lock-protected snapshots so a model can later be swapped while requests are in flight.
public final class ModelRegistry: Sendable {
    private struct State {
        var bundles: [String: ModelBundle]
        var defaultBundle: ModelBundle
    }

    private let state: Mutex<State>

    /// Loads every bundle folder under `modelsDirectory` and the default model, which may be a
    /// bundle name, a bundle folder, or a bare model.txt (then served under its own name).
    public init(modelsDirectory: URL, defaultModel: String) throws(BundleLoadError) {
        var bundles: [String: ModelBundle] = [:]
        let folders = (try? FileManager.default.contentsOfDirectory(at: modelsDirectory, includingPropertiesForKeys: nil)) ?? []
        for folder in folders.sorted(by: { $0.lastPathComponent < $1.lastPathComponent })
        where FileManager.default.fileExists(atPath: folder.appendingPathComponent("bundle.json").path) {
            let bundle = try ModelBundle(directory: folder)
            bundles[bundle.name] = bundle
        }
        let defaultBundle: ModelBundle
        if let named = bundles[defaultModel] {
            defaultBundle = named
        } else {
            let location = URL(fileURLWithPath: defaultModel)
            guard FileManager.default.fileExists(atPath: location.path) else {
                let known = bundles.keys.sorted().joined(separator: ", ")
                throw BundleLoadError("MODEL='\(defaultModel)' is neither a bundle in \(modelsDirectory.path) (\(known.isEmpty ? "none found" : known)) nor a path to a model.")
            }
            let bundle = try ModelBundle(location: location)
            bundles[bundle.name] = bundle
            defaultBundle = bundle
        }
        state = Mutex(State(bundles: bundles, defaultBundle: defaultBundle))
    }

    public var defaultBundle: ModelBundle {
        state.withLock { $0.defaultBundle }
    }

    public func bundle(named name: String) -> ModelBundle? {
        state.withLock { $0.bundles[name] }
    }

    /// All models, the default first, then by name.
    public var all: [ModelBundle] {
        state.withLock { s in
            let first = s.defaultBundle.name
            return s.bundles.values.sorted { a, b in a.name == first || (b.name != first && a.name < b.name) }
        }
    }
}
