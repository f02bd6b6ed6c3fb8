import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Whether PostgreSQL can be reached, as this instance last found by connecting to it.
///
/// postgres-nio's pool, when it cannot connect, keeps a lease waiting (until its circuit
/// breaker trips, a minute later) and retries with a backoff that grows to a minute: left to
/// it, a page would hang through an outage, and the pool could notice the database back long
/// after it is. So a lease that waits too long has the database probed — one connection of
/// our own, outside the pool —; a failed probe makes every lease fail at once with
/// `DatabaseUnavailable`, and a probe every half second then notices the database back
/// (when `recovered` replaces the pool).
package final class PostgresReachability: Sendable {
    package struct Timing: Sendable {
        /// How long the probe a waiting lease asks for may take before the database counts as
        /// unreachable. A stopped server refuses the probe at once, so this bounds only a host
        /// that does not answer at all; at 0.5 s a probe on a busy 2-core machine (the test
        /// suite, four apps at once) sometimes ran out and a working database was declared
        /// down — registrations answered 503.
        package var probeTimeout: Duration = .seconds(2)
        /// How long a successful probe vouches for the database: a pool that is only busy is
        /// probed at most this often.
        package var trustFor: Duration = .seconds(1)
        /// Between probes during an outage, and how long each may take (longer: a slow
        /// connection does not keep the outage going).
        package var retryEvery: Duration = .milliseconds(500)
        package var recoveryTimeout: Duration = .seconds(2)
    }

    private struct State {
        package var outage: DatabaseUnavailable?
        package var since: ContinuousClock.Instant?
        package var verifiedAt: ContinuousClock.Instant?
        package var probe: Task<DatabaseUnavailable?, Never>?
        package var recovery: Task<Void, Never>?
        package var closed = false
    }

    private let state = Mutex(State())
    private let configuration: PostgresConnection.Configuration
    private let timing: Timing
    private let logger: Logger
    private let recovered: @Sendable () async -> Void

    package init(configuration: PostgresConnection.Configuration, timing: Timing = Timing(), logger: Logger, recovered: @escaping @Sendable () async -> Void) {
        self.configuration = configuration
        self.timing = timing
        self.logger = logger
        self.recovered = recovered
    }

    /// The outage every lease meets at once; nil while the database is thought reachable.
    package var outage: DatabaseUnavailable? { state.withLock { $0.outage } }

    /// Whether the database can be reached (asked when a lease has waited long, or a
    /// connection was lost): nil when it can, else the outage, which later leases then meet
    /// at once. One probe at a time, whoever asks; a recent success is trusted unless `fresh`.
    package func verify(fresh: Bool = false) async -> DatabaseUnavailable? {
        enum Step { case known(DatabaseUnavailable?), probing(Task<DatabaseUnavailable?, Never>) }
        let now = ContinuousClock.now
        let step = state.withLock { s -> Step in
            if let outage = s.outage { return .known(outage) }
            if s.closed { return .known(nil) }
            if !fresh, let at = s.verifiedAt, at.duration(to: now) < timing.trustFor { return .known(nil) }
            if let probe = s.probe { return .probing(probe) }
            let (configuration, timeout, logger) = (self.configuration, timing.probeTimeout, self.logger)
            let probe = Task { await Self.probe(configuration, timeout: timeout, logger: logger) }
            s.probe = probe
            return .probing(probe)
        }
        switch step {
        case .known(let outage):
            return outage
        case .probing(let probe):
            let outcome = await probe.value
            settle(probe, outcome)
            return outcome
        }
    }

    /// A connection was lost: the database is probed in the background.
    package func suspect() {
        Task { _ = await self.verify(fresh: true) }
    }

    package func close() {
        let tasks = state.withLock { s in
            s.closed = true
            return (s.probe, s.recovery)
        }
        tasks.0?.cancel()
        tasks.1?.cancel()
    }

    /// Records a probe's outcome once (the first of its waiters to return); an outage starts
    /// the probes that notice the database back.
    private func settle(_ probe: Task<DatabaseUnavailable?, Never>, _ outcome: DatabaseUnavailable?) {
        let began = state.withLock { s -> Bool in
            guard s.probe == probe else { return false }
            s.probe = nil
            guard let outcome else {
                s.verifiedAt = .now
                return false
            }
            guard !s.closed, s.outage == nil else { return false }
            s.outage = outcome
            s.since = .now
            s.verifiedAt = nil
            s.recovery = Task { await self.recover() }
            return true
        }
        if began, let outcome {
            logger.error("database unreachable: requests that need it are answered 503 until it is back", metadata: ["reason": .string(outcome.reason)])
        }
    }

    private func recover() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: timing.retryEvery)
            if Task.isCancelled { return }
            if let still = await Self.probe(configuration, timeout: timing.recoveryTimeout, logger: logger) {
                state.withLock { s in if s.outage != nil { s.outage = still } }  // the latest reason is the one told
                continue
            }
            await recovered()
            let since = state.withLock { s -> ContinuousClock.Instant? in
                defer {
                    s.outage = nil
                    s.since = nil
                    s.verifiedAt = .now
                    s.recovery = nil
                }
                return s.since
            }
            let seconds = since.map { $0.duration(to: .now) }.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
            // A warning, so a log that shows the outage's start (an error) shows its end.
            logger.warning("database reachable again", metadata: ["outage_seconds": .string(seconds.map { String(format: "%.1f", $0) } ?? "?")])
            return
        }
    }

    /// Opens one connection outside the pool and closes it: nil when that worked within
    /// `timeout`, else why not.
    package static func probe(_ configuration: PostgresConnection.Configuration, timeout: Duration, logger: Logger) async -> DatabaseUnavailable? {
        await withTaskGroup(of: DatabaseUnavailable?.self) { group in
            group.addTask {
                do {
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                    try? await connection.close()
                    return nil
                } catch {
                    return DatabaseUnavailable(reason: PostgresFailure.words(error))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return DatabaseUnavailable(reason: "PostgreSQL accepted no connection within \(timeout)")
            }
            // The first to finish decides; the other is cancelled (a connection made
            // meanwhile is closed by its own task).
            guard let first = await group.next() else { return DatabaseUnavailable(reason: "no probe ran") }
            group.cancelAll()
            return first
        }
    }
}
