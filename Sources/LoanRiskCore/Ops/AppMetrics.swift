import CoreMetrics
import Foundation
import Metrics
import Prometheus
import Synchronization

/// The server's metrics, through swift-metrics into a Prometheus registry of this app's own
/// (no global bootstrap, so every app — and every test — counts only itself). Names follow
/// Prometheus conventions: `loanrisk_` prefix, base units, `_total` counters. Labels are
/// bounded: route patterns (never raw paths), methods, statuses, model names and versions,
/// channels, decisions — never applicant data. Metric objects are made once per label set
/// and cached, so a request costs a dictionary lookup, not a registry lookup.
package final class AppMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    private struct RequestKey: Hashable { let route: String, method: String, status: Int }
    private struct ScoredKey: Hashable { let model: String, version: String, channel: String }
    private let requests = Mutex<[RequestKey: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])
    private let scoredSeries = Mutex<[ScoredKey: ScoredSeries]>([:])

    /// A model version's scored applicants on one channel: a counter per decision, and the
    /// model's probability histogram.
    private final class ScoredSeries: Sendable {
        package let probabilities: CoreMetrics.Recorder
        private let counters = Mutex<[String: CoreMetrics.Counter]>([:])

        package init(probabilities: CoreMetrics.Recorder) {
            self.probabilities = probabilities
        }

        package func counter(decision: String, make: () -> CoreMetrics.Counter) -> CoreMetrics.Counter {
            counters.withLock { cache in
                if let found = cache[decision] { return found }
                let made = make()
                cache[decision] = made
                return made
            }
        }
    }

    package init(version: String) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map { Duration.seconds($0) }
        factory.valueHistogramBuckets["loanrisk_probability_of_default"] = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1]
        factory.valueHistogramBuckets["loanrisk_upload_bytes"] = [1e4, 1e5, 1e6, 1e7, 5e7, 1e8, 5e8]
        self.factory = factory
        CoreMetrics.Gauge(label: "loanrisk_build_info", dimensions: [("version", version)], factory: factory).record(1)
    }

    /// One answered request, by route pattern.
    package func request(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let key = RequestKey(route: route, method: method, status: status)
        let (counter, timer) = requests.withLock { cache in
            if let found = cache[key] { return found }
            let dimensions = [("route", route), ("method", method), ("status", String(status))]
            let made = (CoreMetrics.Counter(label: "loanrisk_http_requests_total", dimensions: dimensions, factory: factory),
                        CoreMetrics.Timer(label: "loanrisk_http_request_duration_seconds", dimensions: dimensions, factory: factory))
            cache[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(Int64(nanoseconds))
    }

    /// Applicants scored, by model, version, channel and decision, and their probabilities.
    /// One lookup a call (the model, version and channel's series), then one a decision
    /// among that series' few.
    package func scored(model: String, version: String, channel: String, decisions: [(decision: String, probability: Double)]) {
        guard !decisions.isEmpty else { return }
        let key = ScoredKey(model: model, version: version, channel: channel)
        let series = scoredSeries.withLock { cache in
            if let found = cache[key] { return found }
            let made = ScoredSeries(
                probabilities: CoreMetrics.Recorder(label: "loanrisk_probability_of_default", dimensions: [("model", model)], aggregate: true, factory: factory))
            cache[key] = made
            return made
        }
        var counts: [(decision: String, count: Int)] = []
        for d in decisions {
            if let index = counts.firstIndex(where: { $0.decision == d.decision }) { counts[index].count += 1 } else { counts.append((d.decision, 1)) }
            series.probabilities.record(d.probability)
        }
        for (decision, count) in counts {
            series.counter(decision: decision) {
                CoreMetrics.Counter(label: "loanrisk_applicants_scored_total",
                                    dimensions: [("model", model), ("version", version), ("channel", channel), ("decision", decision)], factory: factory)
            }.increment(by: count)
        }
    }

    /// One stored upload: its size and how long it took.
    package func upload(bytes: Int, seconds: Double) {
        CoreMetrics.Recorder(label: "loanrisk_upload_bytes", dimensions: [], aggregate: true, factory: factory).record(bytes)
        CoreMetrics.Timer(label: "loanrisk_batch_duration_seconds", dimensions: [], factory: factory).recordSeconds(seconds)
    }

    /// Makes every model's swap counters exist at zero, so dashboards and alerts see a series
    /// before the first swap.
    package func prepare(models: [String]) {
        for model in models {
            for alias in ["champion", "challenger"] {
                CoreMetrics.Counter(label: "loanrisk_model_swaps_total", dimensions: [("model", model), ("alias", alias)], factory: factory).increment(by: 0)
            }
        }
    }

    /// A champion or challenger moved on this instance.
    package func modelSwapped(model: String, alias: String) {
        CoreMetrics.Counter(label: "loanrisk_model_swaps_total", dimensions: [("model", model), ("alias", alias)], factory: factory).increment()
    }

    /// The latest batch's PSI per input of a model (inputs are the model's: a bounded set).
    package func batchDrift(model: String, inputs: [(name: String, psi: Double)], score: Double?) {
        for input in inputs {
            CoreMetrics.Gauge(label: "loanrisk_batch_input_psi", dimensions: [("model", model), ("input", input.name)], factory: factory).record(input.psi)
        }
        if let score { CoreMetrics.Gauge(label: "loanrisk_batch_score_psi", dimensions: [("model", model)], factory: factory).record(score) }
    }

    /// A model's traffic window: PSI per input and for the score (`input="score"`), against
    /// the version's reference. Inputs are the model's, versions few: bounded.
    package func windowDrift(model: String, version: String, psi: [String: Double]) {
        for (input, value) in psi {
            CoreMetrics.Gauge(label: "loanrisk_window_psi", dimensions: [("model", model), ("version", version), ("input", input)], factory: factory)
                .record(value)
        }
    }

    /// A drift event: a window's measure entered the major band.
    package func driftEvent(model: String, version: String, input: String) {
        CoreMetrics.Counter(label: "loanrisk_drift_events_total", dimensions: [("model", model), ("version", version), ("input", input)], factory: factory)
            .increment()
    }

    /// Makes the webhook's attempt counters exist at zero when one is configured.
    package func prepareWebhook() {
        for outcome in ["delivered", "failed"] {
            CoreMetrics.Counter(label: "loanrisk_drift_webhook_attempts_total", dimensions: [("outcome", outcome)], factory: factory).increment(by: 0)
        }
    }

    /// One attempt to deliver a drift event to the webhook, by outcome (`delivered`, `failed`).
    package func webhookAttempt(outcome: String) {
        CoreMetrics.Counter(label: "loanrisk_drift_webhook_attempts_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// The Prometheus text exposition.
    package func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
