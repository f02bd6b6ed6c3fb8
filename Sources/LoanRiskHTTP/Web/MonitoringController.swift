import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// `/monitoring`: every model version that scored in the last window's age — requests and
/// applicants over time, decision rates, the window's score distribution against training,
/// its PSI per input now and over time, and drift events with their webhook deliveries.
/// Inline SVG; no JavaScript needed.
struct MonitoringController {
    let registry: ModelRegistry
    let store: MonitorStore
    let settings: TrafficMonitor.Settings
    let views: Views

    func addRoutes(to pages: some RouterMethods<AppRequestContext>) {
        pages.get("/monitoring") { _, context in try await page(context: context) }
    }

    /// Buckets of the traffic sparklines over the window's age.
    static let trafficBuckets = 48
    /// Inputs shown with a sparkline, largest PSI first; the rest are in the window's report.
    static let inputsShown = 12

    private func page(context: AppRequestContext) async throws -> Response {
        let now = Date()
        let since = now.addingTimeInterval(-settings.limits.age)
        var versions: [MonitoringPage.Version] = []
        for (name, version) in try await store.versions(since: since) {
            versions.append(try await self.version(name: name, version: version, since: since, now: now))
        }
        let events = try await store.events(limit: 50)
        return views.page(MonitoringPage(
            base: PageBase(context, title: "Monitoring"),
            windowRule: "the last \(Formatting.count(settings.limits.applicants)) applicants scored, no older than \(Self.hours(settings.limits.age))",
            minimum: Formatting.count(settings.minimumApplicants),
            versions: versions, hasVersions: !versions.isEmpty, events: events.map(Self.event), hasEvents: !events.isEmpty))
    }

    private func version(name: String, version: String, since: Date, now: Date) async throws -> MonitoringPage.Version {
        let serving = registry.serving(named: name)
        let alias = serving?.champion.version == version ? "champion" : serving?.challenger?.version == version ? "challenger" : nil
        let traffic = try await store.traffic(model: name, version: version, since: since)
        let (requests, applicants) = (traffic.reduce(0) { $0 + $1.requests }, traffic.reduce(0) { $0 + $1.applicants })
        let (approve, review, decline) = (traffic.reduce(0) { $0 + $1.approve }, traffic.reduce(0) { $0 + $1.review }, traffic.reduce(0) { $0 + $1.decline })
        func values(noReference: String? = nil, window: MonitoringPage.Window? = nil) -> MonitoringPage.Version {
            MonitoringPage.Version(
                name: name, version: version, alias: alias ?? "",
                requests: Formatting.count(requests), applicants: Formatting.count(applicants),
                approveRate: Formatting.rate(approve, of: applicants), reviewRate: Formatting.rate(review, of: applicants),
                declineRate: Formatting.rate(decline, of: applicants),
                channels: Dictionary(grouping: traffic, by: \.channel).map { channel, minutes in
                    "\(channel) \(Formatting.count(minutes.reduce(0) { $0 + $1.applicants }))"
                }.sorted().joined(separator: " · "),
                requestsChart: Self.trafficChart(traffic, since: since, now: now, label: "Requests over \(Self.hours(settings.limits.age))") { $0.requests },
                applicantsChart: Self.trafficChart(traffic, since: since, now: now, label: "Applicants over \(Self.hours(settings.limits.age))") { $0.applicants },
                noReference: noReference, window: window)
        }

        guard let bundle = await registry.bundle(named: name, version: version), let profile = bundle.drift else {
            return values(noReference: "This version has no drift reference (a bare model.txt): traffic is counted, drift cannot be measured.")
        }
        guard let window = try await store.window(model: name, version: version, limits: settings.limits, now: now) else { return values() }
        let report = DriftReport(profile: profile, tallies: profile.tallies(of: window.samples), schema: bundle.schema)
        let snapshots = try await store.snapshots(model: name, version: version, since: since)
        let history = snapshots.map { (x: $0.at.timeIntervalSince(since), psi: $0.psiByInput, score: $0.scorePSI) }
        let span = settings.limits.age
        return values(window: MonitoringPage.Window(
            applicants: Formatting.count(window.samples.count), from: Formatting.timestamp(window.from), to: Formatting.timestamp(window.to),
            judged: window.samples.count >= settings.minimumApplicants, band: report.band.rawValue,
            scorePSI: report.score.map { Formatting.statistic($0.psi) }, scoreBand: report.score?.band.rawValue,
            scoreChart: report.score.map { Charts.driftBars($0, width: 480, height: 96) },
            scoreSpark: Charts.sparkline(
                history.compactMap { point in point.score.map { (x: point.x, y: $0) } }, span: span, ceiling: profile.bands.major * 1.2,
                threshold: profile.bands.major, label: "Score PSI over time"),
            inputs: report.inputs.prefix(Self.inputsShown).map { input in
                MonitoringPage.Window.Input(
                    phrase: bundle.schema.features.first { $0.name == input.name }?.phrase, name: input.name, psi: Formatting.statistic(input.psi), band: input.band.rawValue,
                    missing: Formatting.percent(input.missingShare),
                    outside: Formatting.percent(input.belowRangeShare + input.aboveRangeShare),
                    spark: Charts.sparkline(
                        history.compactMap { point in point.psi[input.name].map { (x: point.x, y: $0) } }, span: span,
                        ceiling: profile.bands.major * 1.2, threshold: profile.bands.major, label: "\(input.name): PSI over time"))
            },
            moreInputs: max(0, report.inputs.count - Self.inputsShown)))
    }

    private static func trafficChart(_ minutes: [TrafficMinute], since: Date, now: Date, label: String, _ value: (TrafficMinute) -> Int) -> String {
        let first = MonitorStore.minute(since)
        let width = max(1, (MonitorStore.minute(now) - first + 1 + trafficBuckets - 1) / trafficBuckets)
        var buckets = [Int](repeating: 0, count: trafficBuckets)
        for m in minutes { buckets[min(trafficBuckets - 1, max(0, (m.minute - first) / width))] += value(m) }
        let points = buckets.enumerated().map { (x: Double($0.offset), y: Double($0.element)) }
        return Charts.sparkline(points, span: Double(trafficBuckets - 1), label: label)
    }

    private static func event(_ item: (event: DriftEvent, deliveries: [WebhookDelivery])) -> MonitoringPage.Event {
        let e = item.event
        return MonitoringPage.Event(
            at: Formatting.timestamp(e.at), model: e.modelName, version: e.modelVersion, input: e.input,
            psi: Formatting.statistic(e.psi), band: e.band.rawValue, windowApplicants: Formatting.count(e.windowApplicants),
            window: "\(Formatting.timestamp(e.windowFrom)) – \(Formatting.timestamp(e.windowTo))",
            deliveries: item.deliveries.map { d in
                MonitoringPage.Event.Delivery(
                    attempt: d.attempt, at: Formatting.timestamp(d.at), delivered: d.delivered,
                    status: d.status.map(String.init) ?? "no answer", error: d.error ?? "")
            },
            hasDeliveries: !item.deliveries.isEmpty)
    }

    private static func hours(_ seconds: TimeInterval) -> String {
        let hours = Int((seconds / 3_600).rounded())
        return hours == 1 ? "1 hour" : "\(hours) hours"
    }
}
