@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@Suite(.sharingTheCores) struct InferenceProtocolTests {
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

/// The Open Inference Protocol's `contributions` and `reasons` outputs (issue #6).
extension InferenceProtocolTests {
    @Suite struct Explanations {
        static func request(_ bundle: ModelBundle, rows: Int, outputs: [[String: Any]]?) throws -> (Data, [[String: String]]) {
            let (header, all) = try PagesTests.csv(TestApp.goldenInput)
            let sample = Array(all.prefix(rows))
            // Every cell as the text it is (BYTES-style strings are read like CSV cells), missing as null.
            let inputs: [[String: Any]] = bundle.schema.features.map { spec in
                let column = header.firstIndex(of: spec.name) ?? 0
                let data: [Any] = sample.map { MissingValue.isMissing($0[column]) ? NSNull() as Any : $0[column] as Any }
                return ["name": spec.name, "shape": [sample.count], "datatype": spec.kind == .categorical ? "BYTES" : "FP64", "data": data]
            }
            var body: [String: Any] = ["inputs": inputs]
            if let outputs { body["outputs"] = outputs }
            return (try JSONSerialization.data(withJSONObject: body), sample.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
        }

        static func outputs(_ response: TestResponse) throws -> [(name: String, shape: [Int], data: [JSONValue])] {
            guard case .object(let root) = try JSONReader.parse(Array(response.body.readableBytesView)), case .array(let outputs)? = root["outputs"] else {
                throw ApiTestFailure("no outputs in \(String(buffer: response.body).prefix(300))")
            }
            return outputs.compactMap { output in
                guard case .object(let o) = output, case .string(let name)? = o["name"], case .array(let shape)? = o["shape"], case .array(let data)? = o["data"] else { return nil }
                return (name, shape.compactMap { if case .number(let n) = $0 { Int(n) } else { nil } }, data)
            }
        }

        @Test func contributionsAndReasonsOutputsAreTheLibrarys() async throws {
            let bundle = try ModelBundle(location: TestApp.goldenModel)
            let (body, applicants) = try Self.request(bundle, rows: 12, outputs: [["name": "contributions"], ["name": "reasons", "parameters": ["count": 3]], ["name": "probability_of_default"]])
            let scorer = BatchScorer(bundle: bundle)
            let names = bundle.schema.requiredColumns
            let (matrix, issues) = scorer.encode(rowCount: applicants.count) { row, feature, body in
                var text = applicants[row][names[feature]] ?? ""
                text.withUTF8(body)
            }
            let phi = try bundle.model.contributions(matrix, threads: 1)
            let explanations = scorer.explain(matrix, issues: issues, options: ExplainOptions(reasons: 3), threads: 1)
            let width = bundle.model.featureCount + 1
            let app = try await TestApp.make()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/v2/models/mixed_realistic/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
                #expect(response.status == .ok)
                let outputs = try Self.outputs(response)
                #expect(outputs.map(\.name) == ["contributions", "reasons", "probability_of_default"], "the outputs asked for, in that order")
                let contributions = try #require(outputs.first { $0.name == "contributions" })
                #expect(contributions.shape == [12, width])
                let values = contributions.data.map { value -> Double? in if case .number(let n) = value { Double(n) } else { nil } }
                #expect(values.map { $0?.bitPattern } == phi.map(\.bitPattern), "FP64 [rows, features + 1], as pred_contrib")
                let reasons = try #require(outputs.first { $0.name == "reasons" })
                #expect(reasons.shape == [12, 3])
                let texts = explanations.flatMap { explanation -> [JSONValue] in
                    let given = (explanation?.reasons ?? []).map { JSONValue.string($0.text) }
                    return given + Array(repeating: .string(""), count: 3 - given.count)
                }
                #expect(reasons.data == texts)

                let metadata = try #require(try JSONSerialization.jsonObject(with: Data(try await client.execute(uri: "/v2/models/mixed_realistic", method: .get).body.readableBytesView)) as? [String: Any])
                let listed = try #require(metadata["outputs"] as? [[String: Any]])
                #expect(listed.map { $0["name"] as? String } == ["probability_of_default", "decision", "contributions", "reasons"])
                #expect(listed[2]["shape"] as? [Int] == [-1, width])
            }
        }

        @Test func defaultOutputsAreUnchangedAndUnknownOnesAre400() async throws {
            let bundle = try ModelBundle(location: TestApp.goldenModel)
            let (plain, _) = try Self.request(bundle, rows: 3, outputs: nil)
            let (unknown, _) = try Self.request(bundle, rows: 3, outputs: [["name": "shap"]])
            let (badCount, _) = try Self.request(bundle, rows: 3, outputs: [["name": "reasons", "parameters": ["count": 11]]])
            let app = try await TestApp.make()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/v2/models/mixed_realistic/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: plain))
                #expect(try Self.outputs(response).map(\.name) == ["probability_of_default", "decision"])
                let bad = try await client.execute(uri: "/v2/models/mixed_realistic/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: unknown))
                #expect(bad.status == .badRequest)
                #expect(String(buffer: bad.body).contains("'shap' is not an output"))
                let count = try await client.execute(uri: "/v2/models/mixed_realistic/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: badCount))
                #expect(count.status == .badRequest)
                #expect(String(buffer: count.body).contains("count"))
            }
        }

        @Test func aLinearLeafModelRefusesContributionsAndListsNone() async throws {
            var configuration = TestApp.configuration()
            configuration.model = TestApp.root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/linear_tree/model.txt").path
            let app = try await TestApp.make(configuration)
            try await app.test(.router) { client in
                let body = #"{"inputs": [{"name": "x1", "shape": [1], "datatype": "FP64", "data": [0.5]}], "outputs": [{"name": "contributions"}]}"#
                let response = try await client.execute(uri: "/v2/models/linear_tree/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("linear-leaf"))
                let metadata = String(buffer: try await client.execute(uri: "/v2/models/linear_tree", method: .get).body)
                #expect(!metadata.contains("contributions"))
            }
        }
    }
}
