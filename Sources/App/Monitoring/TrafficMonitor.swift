import Foundation
import Logging
import ServiceLifecycle
import Scoring

/// Watches what every surface scores, per model version: counts traffic by minute, keeps the
/// newest applicants' drift samples (the window: the last `limits.applicants`, no older than
/// `limits.age`), and after each write measures the window against the version's reference.
/// When a measure enters the major band (`DriftAlarm`'s hysteresis: once per crossing), it
/// writes a drift event, logs it, counts it, and hands it to the webhook. Surfaces hand
/// their observations over and return at once; when more arrives than it keeps up with,
/// the newest is dropped and counted, never an answer delayed.
final class TrafficMonitor: Service, Sendable {
    /// What one request or upload scored.
    struct Observation: Sendable {
        var bundle: ModelBundle
        var channel: AuditRecord.Channel
        var at: Date
        var applicants: Int
        var approve: Int
        var review: Int
        var decline: Int
        var samples: Samples

        /// Where the window's samples come from.
        enum Samples: Sendable {
            /// Computed already (an upload's newest rows).
            case ready([DriftSample])
            /// Applicants as text cells by column name, and their outcomes: read again here,
            /// off the answer's path.
            case applicants([[String: String]], [RowOutcome])
        }

        /// The scored outcomes of a request.
        init(bundle: ModelBundle, channel: AuditRecord.Channel, at: Date = Date(), outcomes: [RowOutcome], samples: Samples) {
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
        init(bundle: ModelBundle, channel: AuditRecord.Channel, at: Date, applicants: Int, approve: Int, review: Int, decline: Int, samples: [DriftSample]) {
            self.bundle = bundle
            self.channel = channel
            self.at = at
            self.applicants = applicants
            self.approve = approve
            self.review = review
            self.decline = decline
            self.samples = .ready(samples)
        }
    }

    struct Settings: Sendable {
        var limits = MonitorStore.WindowLimits()
        /// Below this many applicants a window's PSI is noise: it is shown, never alarmed on.
        var minimumApplicants = 100
        /// How often a version's window is kept as a snapshot (each event keeps one too).
        var snapshotEvery: TimeInterval = 60
        /// How often waiting observations are written.
        var flushEvery: Duration = .milliseconds(500)
    }

    let store: MonitorStore
    let settings: Settings
    private let metrics: AppMetrics
    private let webhook: DriftWebhook?
    private let logger: Logger
    private let queue: AsyncStream<Observation?>
    private let enqueue: AsyncStream<Observation?>.Continuation

    init(store: MonitorStore, settings: Settings, metrics: AppMetrics, webhook: DriftWebhook?, logger: Logger, capacity: Int = 4_096) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.webhook = webhook
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: Observation?.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Hands an observation over without waiting.
    func observe(_ observation: Observation) {
        guard observation.applicants > 0 else { return }
        if case .dropped = enqueue.yield(observation) {
            logger.warning("traffic monitor behind: an observation was dropped")
        }
    }

    func run() async throws {
        let enqueue = self.enqueue
        let interval = settings.flushEvery
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                enqueue.yield(nil)
            }
        }
        defer { ticker.cancel() }
        await cancelWhenGracefulShutdown {
            var pending: [Observation] = []
            var lastSnapshot: [String: Date] = [:]
            for await observation in self.queue {
                if let observation {
                    pending.append(observation)
                    continue
                }
                guard !pending.isEmpty else { continue }
                await self.flush(pending, lastSnapshot: &lastSnapshot)
                pending.removeAll()
            }
        }
        if !Task.isCancelled { enqueue.finish() }
    }

    /// Writes observations and measures every version they touched.
    func flush(_ observations: [Observation], now: Date = Date(), lastSnapshot: inout [String: Date]) async {
        var additions: [MonitorStore.Addition] = []
        var bundles: [String: ModelBundle] = [:]
        for o in observations {
            let samples: [DriftSample]
            switch o.samples {
            case .ready(let ready): samples = ready
            case .applicants(let cells, let outcomes): samples = BatchScorer(bundle: o.bundle).driftSamples(applicants: cells, outcomes: outcomes)
            }
            additions.append(.init(
                modelName: o.bundle.name, modelVersion: o.bundle.version, channel: o.channel.rawValue, at: o.at, requests: 1,
                applicants: o.applicants, approve: o.approve, review: o.review, decline: o.decline, samples: samples))
            bundles[o.bundle.name + "\u{0}" + o.bundle.version] = o.bundle
        }
        do {
            try await store.add(additions, limits: settings.limits, now: now)
        } catch {
            logger.error("traffic monitor: could not write the window", metadata: ["error": .string("\(error)")])
            return
        }
        for (key, bundle) in bundles.sorted(by: { $0.key < $1.key }) {
            let due = now.timeIntervalSince(lastSnapshot[key] ?? .distantPast) >= settings.snapshotEvery
            if await measure(bundle, now: now, keepSnapshot: due) { lastSnapshot[key] = now }
        }
    }

    /// Measures a version's window; returns whether a snapshot was kept.
    @discardableResult
    func measure(_ bundle: ModelBundle, now: Date, keepSnapshot: Bool) async -> Bool {
        guard let profile = bundle.drift else { return false }
        do {
            guard let window = try await store.window(model: bundle.name, version: bundle.version, limits: settings.limits, now: now) else { return false }
            let report = DriftReport(profile: profile, tallies: profile.tallies(of: window.samples), schema: bundle.schema)
            var psi = Dictionary(uniqueKeysWithValues: report.inputs.map { ($0.name, $0.psi) })
            if let score = report.score { psi["score"] = score.psi }
            metrics.windowDrift(model: bundle.name, version: bundle.version, psi: psi)
            var alarm = try await store.alarm(model: bundle.name, version: bundle.version)
            let judged = window.samples.count >= settings.minimumApplicants
            let crossed = judged ? alarm.update(psi: psi, bands: profile.bands) : []
            let events = crossed.map { input in
                DriftEvent(
                    at: now, modelName: bundle.name, modelVersion: bundle.version, input: input, psi: psi[input] ?? 0,
                    band: profile.bands.band(psi[input] ?? 0), windowApplicants: window.samples.count, windowFrom: window.from, windowTo: window.to)
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
