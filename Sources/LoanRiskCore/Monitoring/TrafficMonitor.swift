import Foundation
import LoanRiskStorage
import Logging
import Scoring
import ServiceLifecycle
import Synchronization

/// Watches what every surface scores, per model version: counts traffic by minute, keeps the
/// newest applicants' drift samples (the window: the last `limits.applicants`, no older than
/// `limits.age`), and after each write measures the window against the version's reference.
/// When a measure enters the major band (`DriftAlarm`'s hysteresis: once per crossing), it
/// writes a drift event, logs it, counts it, and hands it to the webhook. Surfaces hand
/// their observations over and return at once; when more arrives than it keeps up with,
/// the newest is dropped and counted, never an answer delayed.
package final class TrafficMonitor: Service, Sendable {
    /// What one request or upload scored.
    package struct Observation: Sendable {
        package var bundle: ModelBundle
        package var channel: AuditRecord.Channel
        package var at: Date
        package var applicants: Int
        package var approve: Int
        package var review: Int
        package var decline: Int
        /// The scored applicants' drift samples, made by the surface while their cells are at
        /// hand: an observation that kept the cells and outcomes to read them here instead
        /// held every request's applicants (and their reasons) for up to a second, and freeing
        /// them on this thread cost more than making the samples on the request's.
        package var samples: [DriftSample]

        /// The scored outcomes of a request.
        package init(bundle: ModelBundle, channel: AuditRecord.Channel, at: Date = Date(), outcomes: [RowOutcome], samples: [DriftSample]) {
            self.bundle = bundle
            self.channel = channel
            self.at = at
            applicants = outcomes.filter(\.isValid).count
            approve = outcomes.filter { $0.decision == .approve }.count
            review = outcomes.filter { $0.decision == .review }.count
            decline = outcomes.filter { $0.decision == .decline }.count
            self.samples = samples
        }

        /// An upload's counts, and the samples of its newest rows.
        package init(bundle: ModelBundle, channel: AuditRecord.Channel, at: Date, applicants: Int, approve: Int, review: Int, decline: Int, samples: [DriftSample]) {
            self.bundle = bundle
            self.channel = channel
            self.at = at
            self.applicants = applicants
            self.approve = approve
            self.review = review
            self.decline = decline
            self.samples = samples
        }
    }

    package struct Settings: Sendable {
        package var limits = MonitorStore.WindowLimits()
        /// Below this many applicants a window's PSI is noise: it is shown, never alarmed on.
        package var minimumApplicants = 100
        /// How often a version's window is kept as a snapshot (each event keeps one too).
        package var snapshotEvery: TimeInterval = 60
        /// How often waiting observations are written.
        package var flushEvery: Duration = .seconds(1)

        package init(limits: MonitorStore.WindowLimits = .init(), minimumApplicants: Int = 100, snapshotEvery: TimeInterval = 60, flushEvery: Duration = .seconds(1)) {
            self.limits = limits
            self.minimumApplicants = minimumApplicants
            self.snapshotEvery = snapshotEvery
            self.flushEvery = flushEvery
        }
    }

    package let store: MonitorStore
    package let settings: Settings
    private let metrics: AppMetrics
    private let webhook: DriftWebhook?
    private let logger: Logger
    /// Observations waiting for the next write: appended under a lock and taken whole by the
    /// writer each interval, so a request wakes no task.
    private let waiting = Mutex<[Observation]>([])
    private let capacity: Int
    private let dropped = Atomic<Int>(0)
    /// When each version's window was last kept as a snapshot (only the writer touches it).
    private let lastSnapshot = Mutex<[String: Date]>([:])

    package init(store: MonitorStore, settings: Settings, metrics: AppMetrics, webhook: DriftWebhook?, logger: Logger, capacity: Int = 100_000) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.webhook = webhook
        self.logger = logger
        self.capacity = capacity
    }

    /// Hands an observation over without waiting; beyond `capacity` waiting ones it is dropped
    /// and counted (the writer logs how many).
    package func observe(_ observation: Observation) {
        guard observation.applicants > 0 else { return }
        let kept = waiting.withLock { waiting in
            guard waiting.count < capacity else { return false }
            waiting.append(observation)
            return true
        }
        if !kept { dropped.add(1, ordering: .relaxed) }
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.settings.flushEvery)
                await self.drainUncancelled()
            }
        }
        // What arrived before the stop is written too.
        await drainUncancelled()
    }

    /// A write the stop must not cut short (the database refuses work from a cancelled task):
    /// each drain runs on a task of its own, which the shutdown does not cancel.
    private func drainUncancelled() async {
        await Task { await self.drain() }.value
    }

    private func drain() async {
        let taken = waiting.withLock { waiting in
            defer { waiting.removeAll(keepingCapacity: true) }
            return waiting
        }
        let lost = dropped.exchange(0, ordering: .relaxed)
        if lost > 0 { logger.warning("traffic monitor behind: observations dropped", metadata: ["count": .stringConvertible(lost)]) }
        guard !taken.isEmpty else { return }
        await flush(taken)
    }

    /// Writes observations and measures every version they touched.
    package func flush(_ observations: [Observation], now: Date = Date()) async {
        var additions: [MonitorStore.Addition] = []
        var bundles: [String: ModelBundle] = [:]
        // Newest first: only the newest `limits.applicants` of each version can stay in its
        // window, so older observations of a busy flush count as traffic and read no cells.
        var room: [String: Int] = [:]
        for o in observations.reversed() {
            let key = o.bundle.name + "\u{0}" + o.bundle.version
            let left = room[key] ?? settings.limits.applicants
            let samples = left > 0 ? Array(o.samples.suffix(left)) : []
            room[key] = left - samples.count
            additions.append(.init(
                modelName: o.bundle.name, modelVersion: o.bundle.version, channel: o.channel.rawValue, at: o.at, requests: 1,
                applicants: o.applicants, approve: o.approve, review: o.review, decline: o.decline, samples: samples))
            bundles[key] = o.bundle
        }
        additions.reverse()
        do {
            try await store.add(additions, limits: settings.limits, now: now)
        } catch is DatabaseUnavailable {
            // An outage: the storage layer logs its start and end once, not every flush.
        } catch {
            logger.error("traffic monitor: could not write the window", metadata: ["error": .string("\(error)")])
            return
        }
        for (key, bundle) in bundles.sorted(by: { $0.key < $1.key }) {
            let due = now.timeIntervalSince(lastSnapshot.withLock { $0[key] } ?? .distantPast) >= settings.snapshotEvery
            if await measure(bundle, now: now, keepSnapshot: due) { lastSnapshot.withLock { $0[key] = now } }
        }
    }

    /// Measures a version's window; returns whether a snapshot was kept.
    @discardableResult
    package func measure(_ bundle: ModelBundle, now: Date, keepSnapshot: Bool) async -> Bool {
        guard let profile = bundle.drift else { return false }
        do {
            guard let window = try await store.window(model: bundle.name, version: bundle.version, limits: settings.limits, now: now) else { return false }
            let report = DriftReport(profile: profile, tallies: profile.tallies(of: window.samples), schema: bundle.schema)
            var psi = Dictionary(uniqueKeysWithValues: report.inputs.map { ($0.name, $0.psi) })
            if let score = report.score { psi["score"] = score.psi }
            metrics.windowDrift(model: bundle.name, version: bundle.version, psi: psi)
            // Read each time, not kept here: instances on one database share the alarm state.
            var alarm = try await store.alarm(model: bundle.name, version: bundle.version)
            let judged = window.samples.count >= settings.minimumApplicants
            // Each measure against what noise gives for the window's size (`DriftNoise`).
            let bands = report.judgedBands
            let crossed = judged ? alarm.update(psi: psi, bands: profile.bands, judged: bands) : []
            let events = crossed.map { input in
                DriftEvent(
                    at: now, modelName: bundle.name, modelVersion: bundle.version, input: input, psi: psi[input] ?? 0,
                    band: (bands[input] ?? profile.bands).band(psi[input] ?? 0), windowApplicants: window.samples.count, windowFrom: window.from, windowTo: window.to)
            }
            let snapshot = keepSnapshot || !events.isEmpty ? Self.snapshot(report, bundle: bundle, at: now, applicants: window.samples.count) : nil
            let saved = try await store.record(model: bundle.name, version: bundle.version, snapshot: snapshot, alarm: alarm, events: events)
            for event in saved {
                logger.warning("drift event", metadata: [
                    "model": .string(event.modelName), "version": .string(event.modelVersion), "input": .string(event.input),
                    "psi": .string(String(format: "%.4f", event.psi)), "band": .string(event.band.rawValue),
                    "window_applicants": .stringConvertible(event.windowApplicants),
                ])
                metrics.driftEvent(model: event.modelName, version: event.modelVersion, input: event.input)
                webhook?.deliver(event)
            }
            return snapshot != nil
        } catch is DatabaseUnavailable {
            return false  // an outage: the storage layer logs its start and end once
        } catch {
            logger.error("traffic monitor: could not measure the window", metadata: ["model": .string(bundle.name), "error": .string("\(error)")])
            return false
        }
    }

    private static func snapshot(_ report: DriftReport, bundle: ModelBundle, at: Date, applicants: Int) -> DriftSnapshot {
        let psi = Dictionary(uniqueKeysWithValues: report.inputs.map { ($0.name, $0.psi) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return DriftSnapshot(
            modelName: bundle.name, modelVersion: bundle.version, at: at, applicants: applicants, scorePSI: report.score?.psi,
            inputPSI: (try? encoder.encode(psi)).map { String(decoding: $0, as: UTF8.self) } ?? "{}",
            scoreActual: report.score.flatMap { try? encoder.encode($0.actual) }.map { String(decoding: $0, as: UTF8.self) })
    }
}
