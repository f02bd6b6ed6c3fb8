import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// deploy/grafana/loanrisk.json asks only for metrics the server exposes.
@Suite struct DashboardTests {
    @Test func everyDashboardQueryNamesAnExposedMetric() async throws {
        let url = TestApp.root.appendingPathComponent("deploy/grafana/loanrisk.json")
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 8)
        try await TestApp.make().test(.router) { client in
            // One request of each kind, so every family has a series.
            let session = try await Session(client)
            let sample = try Data(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
            _ = try await session.upload(sample, fileName: "sample.csv", model: "lending-club")
            let exposed = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let families = Set(exposed.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.compactMap { $0.split(separator: " ").dropFirst(2).first.map(String.init) })
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
