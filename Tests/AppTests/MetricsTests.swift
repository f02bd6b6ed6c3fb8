import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// `/metrics`: every family present in the Prometheus text format, counts that match what
/// was done, and labels from bounded sets only (route patterns, never batch ids).
@Suite(.sharingTheCores) struct MetricsTests {
    static func metrics(_ client: some TestClientProtocol) async throws -> String {
        let response = try await client.execute(uri: "/metrics", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        return String(buffer: response.body)
    }

    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func everyFamilyIsThereWithCountsThatAddUpAndBoundedLabels() async throws {
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            let body = try Data(contentsOf: TestApp.root.appendingPathComponent("examples/lending-club-one.json"))
            var decisions: [String: Int] = [:]
            for _ in 0..<3 {
                let answer = try await client.execute(uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
                let decision = try #require(try ModelVariants.json(answer)["decision"] as? String)
                decisions[decision, default: 0] += 1
            }
            let sample = try Data(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
            let location = try #require(try await session.upload(sample, fileName: "sample.csv", model: "lending-club").headers[.location])
            _ = try await session.get(location)
            _ = try await session.get("/no/such/page")

            let text = try await Self.metrics(client)
            for family in ["loanrisk_http_requests_total", "loanrisk_http_request_duration_seconds", "loanrisk_applicants_scored_total",
                           "loanrisk_probability_of_default", "loanrisk_upload_bytes", "loanrisk_batch_duration_seconds",
                           "loanrisk_batch_input_psi", "loanrisk_batch_score_psi", "loanrisk_build_info"] {
                #expect(text.contains("# TYPE \(family)"), "\(family) missing")
            }
            for (decision, count) in decisions {
                let series = #"loanrisk_applicants_scored_total{model="lending-club",version="2.1.0",channel="api",decision="\#(decision)"}"#
                #expect(Self.value(text, series) == Double(count), "\(series)")
            }
            #expect(Self.value(text, #"loanrisk_http_requests_total{route="/api/v1/models/{name}/predict",method="POST",status="200"}"#) == 3)
            #expect(Self.value(text, #"loanrisk_http_requests_total{route="/batches/{id}",method="GET",status="200"}"#) == 1)
            #expect(Self.value(text, #"loanrisk_http_requests_total{route="unmatched",method="GET",status="404"}"#) == 1)
            // No raw path, batch id or applicant value in any label.
            let batchID = String(location.split(separator: "/").last ?? "")
            #expect(!text.contains(batchID))
            #expect(!text.contains("LC-0"))
            #expect(!text.contains("/no/such/page"))
        }
    }
}
