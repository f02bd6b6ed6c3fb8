@testable import App
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@Suite struct ApiTests {
    static func goldenApplicants() throws -> (header: [String], rows: [[String]]) {
        try PagesTests.csv(TestApp.goldenInput)
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, json: Any) async throws -> TestResponse {
        try await post(client, uri, body: try JSONSerialization.data(withJSONObject: json))
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, body: Data) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// A response's numbers read exactly (JSONSerialization on Linux may round the last digit).
    static func exact(_ response: TestResponse) throws -> JSONValue {
        try JSONReader.parse(Array(response.body.readableBytesView))
    }

    static func probability(_ value: JSONValue?) -> Double? {
        guard case .object(let object) = value, case .number(let text) = object["probability_of_default"] else { return nil }
        return Double(text)
    }

    @Test func singleAndBatchGiveTheLibrarysProbabilities() async throws {
        let app = try await TestApp.make()
        let (header, rows) = try Self.goldenApplicants()
        let applicants = rows.prefix(25).map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        let expected = BatchScorer(bundle: try ModelBundle(location: TestApp.goldenModel)).score(applicants: Array(applicants))
        // Numbers as JSON numbers where they parse, strings otherwise; empty cells as null.
        let json: [[String: Any]] = applicants.map { applicant in
            applicant.mapValues { value -> Any in MissingValue.isMissing(value) ? NSNull() : (Double(value).map { $0 as Any } ?? value) }
        }
        let singleBody = try JSONSerialization.data(withJSONObject: json[0])
        let batchBody = try JSONSerialization.data(withJSONObject: ["applicants": json])
        try await app.test(.router) { client in
            let single = try await Self.post(client, "/api/v1/predict", body: singleBody)
            #expect(single.status == .ok)
            let one = try Self.object(single)
            #expect(Self.probability(try Self.exact(single)) == expected[0].probability)
            #expect(one["decision"] as? String == expected[0].decision?.rawValue)
            #expect((one["model"] as? [String: Any])?["name"] as? String == "mixed_realistic")

            let batch = try await Self.post(client, "/api/v1/models/mixed_realistic/predict", body: batchBody)
            #expect(batch.status == .ok)
            let results = try #require(try Self.object(batch)["results"] as? [[String: Any]])
            #expect(results.count == 25)
            guard case .object(let root) = try Self.exact(batch), case .array(let exactResults) = root["results"] else {
                Issue.record("no results array")
                return
            }
            #expect(exactResults.map { Self.probability($0) } == expected.map(\.probability))
        }
    }

    @Test func csvBodyGivesTheResultsCSV() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: [.contentType: "text/csv"],
                body: ByteBuffer(data: try Data(contentsOf: TestApp.goldenInput)))
            #expect(response.status == .ok)
            #expect(Array(response.body.readableBytesView) == (try UploadTests.libraryResults(for: TestApp.goldenInput, model: TestApp.goldenModel)))
        }
    }

    @Test func stringsNullsAndUnknownFields() async throws {
        let app = try await TestApp.make()
        let model = try LightGBMModel(contentsOf: TestApp.goldenModel)
        let numeric = try #require(FeatureSchema(inferredFrom: model).features.first { $0.kind == .numeric }).name
        try await app.test(.router) { client in
            let asString = try Self.object(try await Self.post(client, "/api/v1/predict", json: [numeric: "1.5", "colour": "blue"]))
            let asNumber = try Self.object(try await Self.post(client, "/api/v1/predict", json: [numeric: 1.5]))
            #expect(asString["probability_of_default"] as? Double != nil)
            #expect("\(asString["probability_of_default"] ?? "")" == "\(asNumber["probability_of_default"] ?? "")")
            #expect((asString["warnings"] as? [String])?.contains { $0.contains("colour") } == true)
            let nulls = try await Self.post(client, "/api/v1/predict", json: [numeric: NSNull()])
            #expect(nulls.status == .ok)
        }
    }

    @Test func everyErrorClassIsProblemJSON() async throws {
        let app = try await TestApp.make(TestApp.configuration())
        let model = try LightGBMModel(contentsOf: TestApp.goldenModel)
        let numeric = FeatureSchema(inferredFrom: model).features.filter { $0.kind == .numeric }.map(\.name)
        try await app.test(.router) { client in
            let malformed = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{\"a\": 1,, }"))
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "application/problem+json")
            #expect((try Self.object(malformed)["detail"] as? String)?.contains("byte 8") == true)

            let wrongType = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.contentType: "application/xml"], body: ByteBuffer(string: "<a/>"))
            #expect(wrongType.status == .unsupportedMediaType)

            let invalid = try await Self.post(client, "/api/v1/predict", json: ["applicants": [[numeric[0]: "abc"], [numeric[1]: "x", numeric[2]: [1, 2]]]])
            #expect(invalid.status == .unprocessableContent)
            let errors = try #require(try Self.object(invalid)["errors"] as? [[String: Any]])
            #expect(errors.count == 3)
            #expect(errors.contains { $0["applicant"] as? Int == 0 && $0["field"] as? String == numeric[0] && $0["value"] as? String == "abc" })
            #expect(errors.contains { $0["applicant"] as? Int == 1 && $0["field"] as? String == numeric[2] })

            let missing = try await Self.post(client, "/api/v1/models/nope/predict", json: [:])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")

            let models = try Self.object(try await client.execute(uri: "/api/v1/models", method: .get))
            #expect((models["models"] as? [[String: Any]])?.first?["name"] as? String == "mixed_realistic")
        }
    }

    @Test func theBatchLimitIs413WithTheLimit() async throws {
        var configuration = TestApp.configuration()
        configuration.apiBatchLimit = 3
        let app = try await TestApp.make(configuration)
        try await app.test(.router) { client in
            let response = try await Self.post(client, "/api/v1/predict", json: ["applicants": [[:], [:], [:], [:]] as [[String: Any]]])
            #expect(response.status == .contentTooLarge)
            #expect(try Self.object(response)["limit"] as? Int == 3)
        }
    }
}
