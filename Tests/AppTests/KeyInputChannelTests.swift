import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP

/// Key inputs on every channel of the server: an empty application is refused with the reason
/// and an applicant without an interest rate (whom the model, left to itself, approves) is
/// held for review with the reason — JSON and CSV API, OIP, the form and the upload alike.
/// (The CLI: LoanRiskCLITests; gRPC: tests/api.)
@Suite(.sharingTheCores) struct KeyInputChannelTests {
    static let applicant: [String: String] = {
        guard let data = try? Data(contentsOf: AuditTests.example),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object.mapValues { "\($0)" }
    }()

    static func json(_ fields: [String: String]) -> ByteBuffer {
        let body = (try? JSONSerialization.data(withJSONObject: fields)) ?? Data()
        return ByteBuffer(data: body)
    }

    @Test func theAPIRefusesAnEmptyApplicantAndHoldsOneWithoutItsRate() async throws {
        var rateless = Self.applicant
        rateless["int_rate"] = nil
        let withoutRate = rateless
        let complete = Self.applicant
        try await TestApp.make().test(.router) { client in
            for body in ["{}", #"{"annual_inc": 51000}"#] {
                let empty = try await client.execute(
                    uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(empty.status == .unprocessableContent)
                let problem = String(buffer: empty.body)
                #expect(problem.contains("Too few inputs to score"), "\(problem)")
            }
            let approved = try await client.execute(
                uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: Self.json(complete))
            #expect(String(buffer: approved.body).contains(#""decision":"approve""#))
            let held = try await client.execute(
                uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: Self.json(withoutRate))
            #expect(held.status == .ok)
            let answer = String(buffer: held.body)
            #expect(answer.contains(#""decision":"review""#), "\(answer)")
            #expect(answer.contains("'int_rate' was not provided: an applicant without it is never approved automatically."))

            let header = ["applicant_id"] + (try ModelBundle(directory: ModelVariants.lendingClub)).schema.requiredColumns
            let rows = [
                header.joined(separator: ","),
                header.map { $0 == "applicant_id" ? "BLANK" : "" }.joined(separator: ","),
                header.map { $0 == "applicant_id" ? "NO-RATE" : (withoutRate[$0] ?? "") }.joined(separator: ","),
            ]
            let csv = try await client.execute(
                uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: rows.joined(separator: "\n") + "\n"))
            #expect(csv.status == .ok)
            let lines = String(buffer: csv.body).split(whereSeparator: \.isNewline).map(String.init)
            try #require(lines.count == 3, "\(String(buffer: csv.body))")
            #expect(lines[1].hasPrefix("BLANK,") && lines[1].contains("error: Too few inputs to score: none of the 21 inputs"))
            #expect(lines[2].hasPrefix("NO-RATE,") && lines[2].contains(",review,"))
        }
    }

    @Test func openInferenceHoldsARowWithoutItsRate() async throws {
        let example = try Data(contentsOf: TestApp.root.appendingPathComponent("examples/oip-infer-lending-club.json"))
        var request = try #require(try JSONSerialization.jsonObject(with: example) as? [String: Any])
        let inputs = try #require(request["inputs"] as? [[String: Any]])
        request["inputs"] = inputs.filter { $0["name"] as? String != "int_rate" }
        let withoutRate = try JSONSerialization.data(withJSONObject: request)
        // Two rows with one blank input each: 0 of 21 inputs usable.
        request["inputs"] = [["name": "term", "shape": [2], "datatype": "BYTES", "data": ["", ""]]]
        let nothing = try JSONSerialization.data(withJSONObject: request)
        try await TestApp.make().test(.router) { client in
            func infer(_ body: Data) async throws -> (HTTPResponse.Status, String, [String]) {
                let response = try await client.execute(
                    uri: "/v2/models/lending-club/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
                let answer = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
                let decisions = ((answer["outputs"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == "decision" }?["data"] as? [String] ?? []
                return (response.status, String(buffer: response.body), decisions)
            }
            let (fullStatus, _, full) = try await infer(example)
            #expect(fullStatus == .ok)
            #expect(full.first == "approve")
            let (status, _, held) = try await infer(withoutRate)
            #expect(status == .ok)
            #expect(held.first == "review")
            let (emptyStatus, empty, _) = try await infer(nothing)
            #expect(emptyStatus == .badRequest || emptyStatus == .unprocessableContent, "\(empty)")
            #expect(empty.contains("Too few inputs to score"), "\(empty)")
        }
    }

    @Test func theFormSaysWhyAndTheUploadCountsTheHeld() async throws {
        var rateless = Self.applicant
        rateless["int_rate"] = ""
        rateless["applicant_id"] = nil
        let withoutRate = rateless
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            let onlyIncome = try await session.postForm("/applicants", ["model": "lending-club", "annual_inc": "51000"])
            #expect(onlyIncome.status == .unprocessableContent)
            let form = String(buffer: onlyIncome.body)
            #expect(form.contains("Too few inputs to score: 1 of the 21 inputs has a usable value (annual_inc); at least 11 are needed."))
            #expect(!form.contains("They are marked below"))

            var fields = withoutRate
            fields["model"] = "lending-club"
            let (_, page) = try await session.decide(fields)
            let html = String(buffer: page.body)
            #expect(html.contains("Interest rate (int_rate) was not provided: an applicant without it is never approved automatically."))
            #expect(html.contains("review"))

            // Fifty of the model's own sample (complete, like the training data: no drift hold),
            // one without its rate and one of NA.
            let header = ["applicant_id"] + (try ModelBundle(directory: ModelVariants.lendingClub)).schema.requiredColumns
            let sample = try String(contentsOf: DecisionPathTests.sample, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
            #expect(sample[0] == header.joined(separator: ","))
            let rows = Array(sample.prefix(51)) + [
                header.map { $0 == "applicant_id" ? "NO-RATE" : (withoutRate[$0] ?? "") }.joined(separator: ","),
                header.map { $0 == "applicant_id" ? "BLANK" : "NA" }.joined(separator: ","),
            ]
            let uploaded = try await session.upload(Data((rows.joined(separator: "\n") + "\n").utf8), fileName: "held.csv", model: "lending-club")
            #expect(uploaded.status == .seeOther)
            let batch = String(buffer: try await session.get(try #require(uploaded.headers[.location])).body)
            #expect(!batch.contains("drift-hold"), "fifty of the training sample and one incomplete applicant are not a drifted file")
            // The table words the warning as the row page does, business name first (the CSV keeps the raw name).
            let worded = try await Eventually.poll({
                String(buffer: try await session.get(try #require(uploaded.headers[.location]) + "?status=warning").body)
            }, until: { $0.contains("warning: Interest rate (int_rate) was not provided: an applicant without it is never approved automatically.") })
            #expect(worded.contains("warning: Interest rate (int_rate) was not provided: an applicant without it is never approved automatically."))
            #expect(batch.contains("1 held by the policy: approvable, but a key input is missing or the file drifted"), "the batch summary counts the held applicant")
        }
    }
}

/// The model card states the key inputs and the training report's missing-input analysis.
@Suite(.sharingTheCores) struct KeyInputCardTests {
    @Test func theCardNamesTheKeyInputsAndWhatABlankDoes() async throws {
        let bundle = try JSONSerialization.jsonObject(with: Data(contentsOf: ModelVariants.lendingClub.appendingPathComponent("bundle.json"))) as? [String: Any]
        let metrics = bundle?["metrics"] as? [String: Any]
        let rows = try #require(metrics?["missing_inputs"] as? [[String: Any]])
        let rate = try #require(rows.first { $0["input"] as? String == "int_rate" })
        let logOdds = try #require(rate["missing_vs_typical_log_odds"] as? Double)
        try await TestApp.make().test(.router) { client in
            let html = String(buffer: try await client.execute(uri: "/models/lending-club", method: .get).body)
            #expect(html.contains("<strong>Key inputs:</strong> Loan amount, Loan term, Interest rate, Loan sub-grade, Annual income."))
            #expect(html.contains("An applicant with fewer than 11 of the 21 inputs given is not scored."))
            #expect(html.contains(#"<section class="card" id="missing-inputs">"#))
            // The rate's row: blank lowers the odds by 1 − e^Δ, as the bundle's own figure says.
            let expected = String(format: "%.1f %% lower", (1 - exp(logOdds)) * 100)
            #expect(html.contains(#"Interest rate <code>int_rate</code></th><td data-label="Key input">yes</td><td data-label="Typical value">11.99 %</td><td data-label="Odds of default when blank">"# + expected), "\(expected)")
        }
    }
}
