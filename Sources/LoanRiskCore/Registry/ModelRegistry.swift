import Foundation
import LoanRiskStorage
import Logging
import Scoring
import Synchronization

/// The models this instance serves right now: for each name its champion (what scores by
/// default) and challenger, loaded from the registry's database.
///
/// A request takes its model once, at its start (`serving(named:)`, `bundle(named:)`), and
/// keeps that value to its end: a promotion swaps the registry's state under a lock in one
/// step, so requests in flight finish on the version they started with, new ones get the
/// new version, and nothing is ever scored by a mix. A version no request holds any more is
/// released with its last reference — except each name's previous champion, kept for an
/// instant rollback.
public final class ModelRegistry: Sendable {
    /// A name's serving pair, taken together so a request's shadow score is of the same moment.
    public struct Serving: Sendable {
        public var champion: ModelBundle
        public var challenger: ModelBundle?
    }

    private struct State {
        package var serving: [String: Serving] = [:]
        package var generation: Int64 = -1
        /// The default model's champion as last loaded.
        package var defaultChampion: ModelBundle?
        /// Each name's champion before the current one, kept loaded so that a rollback, or
        /// moving back and forth between two versions, swaps at once. One per name, so
        /// memory stays bounded however many swaps there are.
        package var previous: [String: ModelBundle] = [:]
    }

    package let store: RegistryStore
    /// The model that `/api/v1/predict` and the upload page use when none is named (`MODEL`).
    public let defaultName: String
    private let logger: Logger
    private let state = Mutex(State())
    /// Versions loaded to explain batches scored by a version that no longer serves: the
    /// two most recent, so paging through such a batch does not reload its model each time.
    private let explained = Mutex<[ModelBundle]>([])
    /// Told of every champion or challenger this instance swaps in (metrics).
    private let swapHandler = Mutex<(@Sendable (String, String) -> Void)?>(nil)
    public var onSwap: (@Sendable (_ name: String, _ alias: String) -> Void)? {
        get { swapHandler.withLock { $0 } }
        set { swapHandler.withLock { $0 = newValue } }
    }
    /// Serialises refreshes, so two never load the same versions at once.
    private let refreshing = AsyncMutex()

    /// Loads what the registry serves; fails when the default model has no champion.
    public init(store: RegistryStore, defaultName: String, logger: Logger) async throws {
        self.store = store
        self.defaultName = defaultName
        self.logger = logger
        try await refresh()
        guard state.withLock({ $0.defaultChampion }) != nil else {
            throw ConfigurationError("The default model '\(defaultName)' has no champion in the registry; promote a version of it (loanrisk models promote).")
        }
    }

    /// The champion and challenger of `name`.
    public func serving(named name: String) -> Serving? {
        state.withLock { $0.serving[name] }
    }

    /// The champion of `name`.
    public func bundle(named name: String) -> ModelBundle? {
        state.withLock { $0.serving[name]?.champion }
    }

    /// The default model's champion. Always present: start-up requires it, and the registry
    /// refuses to clear a champion (if its row vanished anyway, the last one loaded keeps serving).
    public var defaultBundle: ModelBundle {
        state.withLock { s in
            guard let champion = s.serving[defaultName]?.champion ?? s.defaultChampion else {
                preconditionFailure("ModelRegistry is made only once the default model has a champion")
            }
            return champion
        }
    }

    /// Every champion, the default first, then by name.
    public var all: [ModelBundle] {
        state.withLock { s in
            s.serving.values.map(\.champion).sorted { a, b in a.name == defaultName || (b.name != defaultName && a.name < b.name) }
        }
    }

    /// Any stored version of `name`: a serving one as it is, another loaded from the
    /// registry (sha256 checked); nil when there is no such version or it does not load.
    public func bundle(named name: String, version: String) async -> ModelBundle? {
        if let serving = serving(named: name) {
            if serving.champion.version == version { return serving.champion }
            if let challenger = serving.challenger, challenger.version == version { return challenger }
        }
        if let previous = state.withLock({ $0.previous[name] }), previous.version == version { return previous }
        if let cached = explained.withLock({ $0.first { $0.name == name && $0.version == version } }) { return cached }
        do {
            guard let record = try await store.version(name: name, version: version) else { return nil }
            let bundle = try ModelLifecycle.load(record)
            explained.withLock { list in
                list.insert(bundle, at: 0)
                if list.count > 2 { list.removeLast() }
            }
            return bundle
        } catch {
            logger.error("registry: a stored version does not load", metadata: ["model": .string(name), "version": .string(version), "error": "\(error)"])
            return nil
        }
    }

    /// Reads the aliases again if the registry changed since the last read, loads the
    /// versions that are new to this instance (outside the lock), then swaps them in at
    /// once. A version that does not load leaves its name serving what it served. Returns
    /// whether anything changed.
    @discardableResult
    public func refresh() async throws -> Bool {
        try await refreshing.withLock {
            let generation = try await store.generation()
            let (current, known, previous) = state.withLock { ($0.serving, $0.generation, $0.previous) }
            guard generation != known else { return false }
            let aliases = try await store.aliases()
            var loaded: [String: ModelBundle] = [:]
            for bundle in previous.values { loaded[bundle.name + "\u{0}" + bundle.version] = bundle }
            for serving in current.values {
                for bundle in [serving.champion] + (serving.challenger.map { [$0] } ?? []) { loaded[bundle.name + "\u{0}" + bundle.version] = bundle }
            }
            var next: [String: Serving] = [:]
            var changes: [String] = []
            for name in Set(aliases.map(\.name)).sorted() {
                func take(_ alias: ModelAlias) async -> ModelBundle? {
                    guard let record = aliases.first(where: { $0.name == name && $0.alias == alias }) else { return nil }
                    if let bundle = loaded[name + "\u{0}" + record.version] { return bundle }
                    do {
                        guard let stored = try await store.version(name: name, version: record.version) else { return nil }
                        let bundle = try ModelLifecycle.load(stored)
                        loaded[name + "\u{0}" + record.version] = bundle
                        return bundle
                    } catch {
                        logger.error("registry: version not loaded, the previous one keeps serving", metadata: [
                            "model": .string(name), "version": .string(record.version), "error": "\(error)"])
                        return nil
                    }
                }
                let previous = current[name]
                guard let champion = await take(.champion) ?? previous?.champion else { continue }
                let challengerRecord = aliases.contains { $0.name == name && $0.alias == .challenger }
                let challenger = challengerRecord ? await take(.challenger) : nil
                next[name] = Serving(champion: champion, challenger: challenger)
                if previous?.champion.version != champion.version {
                    changes.append("\(name) champion \(previous?.champion.version ?? "–") → \(champion.version)")
                    if previous != nil { onSwap?(name, ModelAlias.champion.rawValue) }
                }
                if previous?.challenger?.version != challenger?.version {
                    changes.append("\(name) challenger \(previous?.challenger?.version ?? "–") → \(challenger?.version ?? "–")")
                    onSwap?(name, ModelAlias.challenger.rawValue)
                }
            }
            state.withLock { s in
                for (name, serving) in next {
                    if let old = current[name]?.champion, old.version != serving.champion.version { s.previous[name] = old }
                }
                s.previous = s.previous.filter { next[$0.key] != nil }
                s.serving = next
                s.generation = generation
                if let champion = next[defaultName]?.champion { s.defaultChampion = champion }
            }
            for change in changes { logger.info("registry: now serving", metadata: ["change": .string(change)]) }
            return !changes.isEmpty
        }
    }
}

/// A lock for async work: one holder at a time, the others wait in order.
package final class AsyncMutex: Sendable {
    private let waiters = Mutex<(held: Bool, queue: [CheckedContinuation<Void, Never>])>((false, []))

    package func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = waiters.withLock { w -> Bool in
                if !w.held {
                    w.held = true
                    return true
                }
                w.queue.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next = waiters.withLock { w -> CheckedContinuation<Void, Never>? in
            if w.queue.isEmpty {
                w.held = false
                return nil
            }
            return w.queue.removeFirst()
        }
        next?.resume()
    }
}
