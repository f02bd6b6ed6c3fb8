import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// deploy/grafana/loanrisk.json asks only for metrics the server exposes.
@Suite(.sharingTheCores) struct DashboardTests {
    @Test func everyDashboardQueryNamesAnExposedMetric() async throws {
        let url = TestApp.root.appendingPathComponent("deploy/grafana/loanrisk.json")
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 8)
        var configuration = TestApp.configuration()
        // Nothing listens on the discard port: the webhook's attempts fail, and are counted.
        configuration.driftWebhookURL = "http://127.0.0.1:9/hook"
        try await TestApp.make(configuration).test(.router) { client in
            // One request of each kind, so every family has a series: an upload whose rates
            // came as fractions also moves the traffic window into a drift event.
            let session = try await Session(client)
            let fractions = try DriftPageTests.sample(changing: "int_rate") { $0 / 100 }
            _ = try await session.upload(fractions, fileName: "fractions.csv", model: "lending-club")
            func exposedFamilies() async throws -> Set<String> {
                let exposed = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                return Set(exposed.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.compactMap { $0.split(separator: " ").dropFirst(2).first.map(String.init) })
            }
            // The monitor measures the window within a second.
            let families = try await Eventually.poll(exposedFamilies, until: { $0.contains("loanrisk_drift_events_total") })
            for expression in expressions {
                let names = expression.matches(of: /loanrisk_[a-z_]+/).map { String($0.output) }
                #expect(!names.isEmpty, "\(expression)")
                for name in names {
                    let family = name.replacing(/_(bucket|sum|count)$/, with: "")
                    #expect(families.contains(family), "\(name) in '\(expression)' is not exposed")
                }
            }
        }
    }
}
