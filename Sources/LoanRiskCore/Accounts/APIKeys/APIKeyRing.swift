import Foundation
import Synchronization

/// The keys not revoked, in memory, looked up by the SHA-256 of the key a request presents:
/// the check costs one digest and one dictionary lookup, never a database read. The ring
/// reloads when `api_key_state.revision` changes — at once after a change made through
/// this instance (`reload`), within a second of one made elsewhere (`APIKeySyncService`
/// polls the revision). It also keeps each key's rate limit (a token bucket per key, in this
/// instance) and when each key was last used, written back in batches.
package final class APIKeyRing: Sendable {
    /// What checking a key found.
    package enum Outcome: Sendable {
        case granted(APIKeyGrant)
        /// No key not revoked has this text.
        case unknown
        /// The key expired.
        case expired
        /// The key is over its rate; try again after this many seconds.
        case limited(retryAfter: Int)
    }

    private struct Entry {
        var grant: APIKeyGrant
        var expiresAt: Date?
        /// Tokens a second, and at most this many saved up (one minute's worth).
        var rate: Double
        var capacity: Double
    }

    private struct Bucket {
        var tokens: Double
        var at: Date
    }

    private struct State {
        var revision: Int64 = -1
        var entries: [APIKeyDigest: Entry] = [:]
        var buckets: [String: Bucket] = [:]
        /// When each key's use was last written (or read from the database).
        var written: [String: Date] = [:]
        var pendingUse: [String: Date] = [:]
    }

    package let store: APIKeyStore
    /// `API_KEY_RATE_PER_MINUTE`: a key's rate when it has none of its own.
    package let defaultRatePerMinute: Int
    /// How often last use is written per key.
    package let useInterval: TimeInterval = 60
    private let state = Mutex(State())

    package init(store: APIKeyStore, defaultRatePerMinute: Int) {
        self.store = store
        self.defaultRatePerMinute = defaultRatePerMinute
    }

    /// Checks the key a request presents (its digest: `APIKeySecret.digest`), counting the
    /// request against the key's rate when it is granted.
    package func check(_ digest: APIKeyDigest, now: Date = Date()) -> Outcome {
        state.withLock { s in
            guard let entry = s.entries[digest] else { return .unknown }
            if let expiresAt = entry.expiresAt, expiresAt <= now { return .expired }
            let id = entry.grant.principal.id
            var bucket = s.buckets[id] ?? Bucket(tokens: entry.capacity, at: now)
            bucket.tokens = min(entry.capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * entry.rate)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                s.buckets[id] = bucket
                return .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / entry.rate).rounded(.up))))
            }
            bucket.tokens -= 1
            s.buckets[id] = bucket
            if now.timeIntervalSince(s.written[id] ?? .distantPast) >= useInterval {
                s.pendingUse[id] = now
                s.written[id] = now
            }
            return .granted(entry.grant)
        }
    }

    /// Reloads the keys when the revision moved since the last load (a read of one row
    /// otherwise). Returns whether it reloaded.
    @discardableResult
    package func refresh() async throws -> Bool {
        let revision = try await store.revision()
        guard revision != state.withLock({ $0.revision }) else { return false }
        try await reload()
        return true
    }

    /// Reloads every key not revoked, whatever the revision: after a change made here, so it
    /// holds before the answer leaves.
    package func reload() async throws {
        let (revision, keys) = try await store.live()
        var entries: [APIKeyDigest: Entry] = [:]
        for (digest, record) in keys {
            let perMinute = Double(record.ratePerMinute ?? defaultRatePerMinute)
            entries[digest] = Entry(
                grant: APIKeyGrant(
                    principal: record.principal, scopes: APIKeyScopes(record.scopes), models: record.models.isEmpty ? nil : Set(record.models)),
                expiresAt: record.expiresAt, rate: perMinute / 60, capacity: max(1, perMinute))
        }
        let lastUses = keys.compactMap { key in key.record.lastUsedAt.map { (key.record.id, $0) } }
        state.withLock { s in
            s.entries = entries
            s.revision = revision
            let live = Set(keys.map { $0.record.id })
            s.buckets = s.buckets.filter { live.contains($0.key) }
            for (id, at) in lastUses where (s.written[id] ?? .distantPast) < at { s.written[id] = at }
        }
    }

    /// Writes the keys' last uses gathered since the last call.
    package func flushUse() async throws {
        let uses = state.withLock { s in
            let uses = s.pendingUse.map { (id: $0.key, at: $0.value) }
            s.pendingUse.removeAll()
            return uses
        }
        do {
            try await store.recordUse(uses)
        } catch {
            // Kept for the next try, unless a newer use arrived meanwhile.
            state.withLock { s in for use in uses where s.pendingUse[use.id] == nil { s.pendingUse[use.id] = use.at } }
            throw error
        }
    }
}
