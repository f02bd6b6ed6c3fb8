import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// Drift over traffic: each model version's window kept in the database, `/monitoring`, and
/// drift events — one per crossing — delivered to a real webhook receiver that fails first.
@Suite(.sharingTheCores) struct MonitoringTests {
    static let csv: HTTPFields = [.contentType: "text/csv"]

    /// Polls `/monitoring` until `ready` holds (the monitor writes every second).
    static func monitoringPage(_ client: some TestClientProtocol, until ready: (String) -> Bool) async throws -> String {
        let page = try await Eventually.poll({ String(buffer: try await client.execute(uri: "/monitoring", method: .get).body) }, until: ready)
        if !ready(page) { Issue.record("/monitoring never showed what was waited for") }
        return page
    }

    static func predict(_ client: some TestClientProtocol, _ body: Data) async throws {
        let response = try await client.execute(uri: "/api/v1/models/lending-club/predict", method: .post, headers: csv, body: ByteBuffer(data: body))
        #expect(response.status == .ok)
    }

    /// The window table's row for `input` ("" when the page has none).
    /// An input's row of the monitoring page's table (business name first, the column's name in `<code>`).
    static func inputRow(_ input: String, in page: String) -> String {
        guard let name = page.range(of: "<code>\(input)</code></th>"),
              let start = page[..<name.lowerBound].range(of: "<th scope=\"row\">", options: .backwards) else { return "" }
        return String(page[start.lowerBound...].prefix { $0 != "\n" })
    }

    static func count(_ text: String, in page: String) -> Int {
        page.components(separatedBy: text).count - 1
    }

    @Test func theWindowKeepsTheNewestApplicantsAndSurvivesARestart() async throws {
        var configuration = TestApp.configuration()
        configuration.monitorWindowApplicants = 300
        configuration.monitorMinimumApplicants = 250
        let sample = try Data(contentsOf: DriftPageTests.sample)
        try await TestApp.make(configuration).test(.router) { client in
            let empty = String(buffer: try await client.execute(uri: "/monitoring", method: .get).body)
            #expect(empty.contains("Nothing has been scored in the window yet."))
            try await Self.predict(client, sample)
            try await Self.predict(client, sample)
            let page = try await Self.monitoringPage(client) { $0.contains("600<br>") }
            #expect(page.contains("Window: 300 applicants"), "the newest 300 of the 600 scored")
            #expect(page.contains("lending-club</a> 2.1.0"))
            #expect(page.contains("api 600"))
            #expect(page.contains("Score distribution"))
            #expect(!page.contains("drift-event"))
        }
        // A new server on the same database finds the window as it was.
        try await TestApp.make(configuration).test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/monitoring", method: .get).body)
            #expect(page.contains("Window: 300 applicants"))
            #expect(page.contains("600<br>"))
        }
    }

    /// Answers 500 to its first `failures` posts, then 200; keeps every body.
    actor Receiver {
        let failures: Int
        private(set) var bodies: [Data] = []

        init(failures: Int) {
            self.failures = failures
        }

        func take(_ body: Data) -> HTTPResponse.Status {
            bodies.append(body)
            return bodies.count <= failures ? .internalServerError : .ok
        }
    }

    @Test func aCrossingRaisesOneEventAndTheWebhookIsRetriedUntilDelivered() async throws {
        let receiver = Receiver(failures: 2)
        let hookRouter = Router()
        hookRouter.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: await receiver.take(Data(buffer: body)))
        }
        let hook = Application(router: hookRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await hook.test(.live) { hookClient in
            var configuration = TestApp.configuration()
            configuration.monitorWindowApplicants = 300
            configuration.monitorMinimumApplicants = 250
            configuration.driftWebhookURL = "http://127.0.0.1:\(try #require(hookClient.port))/hook"
            configuration.driftWebhookBackoff = .milliseconds(50)
            let fractions = try DriftPageTests.sample(changing: "int_rate") { $0 / 100 }
            let sample = try Data(contentsOf: DriftPageTests.sample)
            try await TestApp.make(configuration).test(.router) { client in
                // Rates sent as fractions: int_rate enters the major band, one event.
                try await Self.predict(client, fractions)
                var page = try await Self.monitoringPage(client) { $0.contains("delivered (200)") }
                #expect(Self.count("<td class=\"event-input\">int_rate</td>", in: page) == 1)
                #expect(page.contains("#1 ") && page.contains("failed — The receiver answered 500"))
                #expect(page.contains("#3 "), "two failures, then delivered on the third attempt")

                // Two measures crossed (int_rate, and the score it moved), delivered in order:
                // the first after two failures, on its third attempt; the second at once.
                // The second is sent once the first is delivered: wait for it rather than race it.
                let delivered = try await Eventually.poll({ await receiver.bodies }, until: { $0.count >= 4 })
                let bodies = try delivered.map { try #require(try JSONSerialization.jsonObject(with: $0) as? [String: Any]) }
                #expect(bodies.count == 4)
                let ids = bodies.map { $0["id"] as? Int }
                #expect(ids.prefix(3).allSatisfy { $0 == ids.first } && ids.last != ids.first)
                let first = try #require(bodies.first)
                #expect(first["event"] as? String == "drift")
                #expect(first["model"] as? String == "lending-club" && first["version"] as? String == "2.1.0")
                #expect(first["input"] as? String == "int_rate" && first["band"] as? String == "major")
                #expect(((first["window"] as? [String: Any])?["applicants"] as? Int) == 300)
                #expect(bodies.last?["input"] as? String == "score")

                // Still drifted: no second event for the same crossing.
                try await Self.predict(client, fractions)
                try await Task.sleep(for: .seconds(2))
                page = String(buffer: try await client.execute(uri: "/monitoring", method: .get).body)
                #expect(Self.count("<td class=\"event-input\">int_rate</td>", in: page) == 1)

                // Back to training-like rates: the window recovers and the alarm re-arms;
                // fractions again are a new crossing.
                try await Self.predict(client, sample)
                _ = try await Self.monitoringPage(client) { page in
                    let row = Self.inputRow("int_rate", in: page)
                    return !row.isEmpty && !row.contains("band-major")
                }
                try await Self.predict(client, fractions)
                page = try await Self.monitoringPage(client) { Self.count("<td class=\"event-input\">int_rate</td>", in: $0) == 2 }
                #expect(Self.count("<td class=\"event-input\">int_rate</td>", in: page) == 2)

                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                let line = metrics.split(separator: "\n").first { $0.hasPrefix("loanrisk_drift_events_total") && $0.contains("input=\"int_rate\"") }
                #expect(line?.hasSuffix(" 2") == true, "\(line ?? "no drift event counter")")
                #expect(metrics.contains("loanrisk_window_psi{"))
            }
        }
    }
}
