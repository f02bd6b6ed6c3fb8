import Foundation
import LoanRiskStorage
import Logging
import Scoring
import ServiceLifecycle

/// Keeps this instance's models in step with the registry: once a second it reads the
/// registry's change counter (one indexed row), and when another instance, the admin API or
/// `loanrisk models` moved an alias, loads and swaps in what changed. On PostgreSQL every
/// change is also announced (LISTEN/NOTIFY on a connection of its own), which wakes it at
/// once; the poll stays as the fallback for a lost listener. With `MODELS_WATCH`
/// set it also registers every new bundle folder (or model file) that appears in that folder
/// — never promoting it: a person promotes.
package struct RegistrySyncService: Service {
    package let registry: ModelRegistry
    package let lifecycle: ModelLifecycle
    package let watchDirectory: URL?
    /// The database's change announcements, where it makes them.
    package let changes: AsyncStream<Void>?
    package let logger: Logger
    package var interval: Duration = .seconds(1)

    package func run() async throws {
        if let watchDirectory {
            logger.info("registry: watching for new model versions", metadata: ["folder": .string(watchDirectory.path)])
        }
        try await cancelWhenGracefulShutdown {
            let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            await withTaskGroup(of: Void.self) { group in
                if let changes {
                    group.addTask { for await _ in changes { wake.yield() } }
                }
                group.addTask {
                    while !Task.isCancelled {
                        wake.yield()
                        try? await Task.sleep(for: interval)
                    }
                }
                var seen: [String: Date] = [:]
                for await _ in wakeups {
                    if let watchDirectory { await scan(watchDirectory, seen: &seen) }
                    do {
                        try await registry.refresh()
                    } catch is CancellationError {
                        break
                    } catch is DatabaseUnavailable {
                        // An outage: the storage layer logs its start and end once, not every second.
                    } catch {
                        logger.error("registry: could not read the registry", metadata: ["error": "\(error)"])
                    }
                }
                group.cancelAll()
            }
        }
    }

    /// Registers the folder's entries that are new or changed since the last look. An
    /// entry still being written (modified in the last second) waits for the next look;
    /// one that does not load is logged once per change.
    package func scan(_ directory: URL, seen: inout [String: Date]) async {
        let entries = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for entry in entries.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: entry.path, isDirectory: &isFolder)
            guard isFolder.boolValue || ["txt", "json", "ubj"].contains(entry.pathExtension) else { continue }
            let modelFile = isFolder.boolValue ? ModelBundle.modelFile(in: entry) : entry
            guard FileManager.default.fileExists(atPath: modelFile.path) else { continue }
            let modified = [entry, modelFile, entry.appendingPathComponent("bundle.json")].compactMap { url in
                (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
            }.max() ?? .distantPast
            guard seen[entry.lastPathComponent] != modified, Date().timeIntervalSince(modified) >= 1 else { continue }
            seen[entry.lastPathComponent] = modified
            do {
                let (record, registration) = try await lifecycle.register(ModelLifecycle.Files(location: entry), actor: "watch")
                if registration == .created {
                    logger.info("registry: registered from the watch folder (not promoted)", metadata: [
                        "model": .string(record.name), "version": .string(record.version), "sha256": .string(record.sha256)])
                }
            } catch where error.kind == .unavailable {
                seen[entry.lastPathComponent] = nil  // the database is away: tried again at the next look
            } catch {
                logger.warning("registry: a model in the watch folder was not registered", metadata: [
                    "entry": .string(entry.lastPathComponent), "reason": .string(error.message)])
            }
        }
    }
}
