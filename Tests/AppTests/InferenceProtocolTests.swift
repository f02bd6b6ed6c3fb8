@testable import App
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@Suite struct InferenceProtocolTests {
    @Test func inferGivesTheSameProbabilitiesAsTheLibrary() async throws {
        let app = try await TestApp.make()
        let bundle = try ModelBundle(location: TestApp.goldenModel)
        let (header, rows) = try PagesTests.csv(TestApp.goldenInput)
        let sample = Array(rows.prefix(20))
        let expected = BatchScorer(bundle: bundle).score(applicants: sample.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
        // One tensor per input; cells go as the text they are, missing tokens as null.
        let inputs: [[String: Any]] = bundle.schema.features.map { spec in
            let column = header.firstIndex(of: spec.name) ?? 0
            let data: [Any] = sample.map { row in
                let cell = row[column]
                if MissingValue.isMissing(cell) { return NSNull() }
                return spec.kind == .categorical ? cell : (Double(cell).map { $0 as Any } ?? cell)
            }
            return ["name": spec.name, "shape": [sample.count], "datatype": spec.kind == .categorical ? "BYTES" : "FP64", "data": data]
        }
        let body = try JSONSerialization.data(withJSONObject: ["id": "r1", "inputs": inputs])
        try await app.test(.router) { client in
            let metadata = try await client.execute(uri: "/v2/models/mixed_realistic", method: .get)
            #expect(metadata.status == .ok)
            let response = try await client.execute(uri: "/v2/models/mixed_realistic/infer", method: .post,
                                                    headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
            #expect(response.status == .ok)
            guard case .object(let root) = try JSONReader.parse(Array(response.body.readableBytesView)),
                  case .array(let outputs)? = root["outputs"], case .object(let first) = outputs[0],
                  case .array(let data)? = first["data"] else {
                Issue.record("no outputs")
                return
            }
            #expect(root["id"] == .string("r1"))
            let probabilities = data.map { value -> Double? in if case .number(let text) = value { return Double(text) } else { return nil } }
            #expect(probabilities == expected.map(\.probability))
        }
    }

    @Test func errorsAreTheProtocolsShape() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let unknown = try await client.execute(uri: "/v2/models/nope/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{\"inputs\": []}"))
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).hasPrefix("{\"error\""))
            let ragged = try await client.execute(
                uri: "/v2/models/mixed_realistic/infer", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"inputs": [{"name": "n00_normal", "shape": [2], "datatype": "FP64", "data": [1, 2]}, {"name": "n06_normal", "shape": [1], "datatype": "FP64", "data": [1]}]}"#))
            #expect(ragged.status == .badRequest)
            #expect(String(buffer: ragged.body).contains("same length"))
            #expect(try await client.execute(uri: "/v2/health/ready", method: .get).status == .ok)
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryModelAndTheDocsPageShowsIt() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(paths["/api/v1/predict"] != nil)
            #expect(paths["/api/v1/models/mixed_realistic/predict"] != nil)
            #expect(paths["/v2/models/{name}/infer"] != nil)
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let applicant = try #require(schemas?["Applicant.mixed_realistic"] as? [String: Any])
            let properties = try #require(applicant["properties"] as? [String: Any])
            #expect(Set(properties.keys) == Set(try LightGBMModel(contentsOf: TestApp.goldenModel).featureNames))

            let docs = String(buffer: try await client.execute(uri: "/docs", method: .get).body)
            #expect(docs.contains("/api/v1/predict"))
            #expect(docs.contains("curl -s -H"))
        }
    }
}
