@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@Suite(.sharingTheCores) struct ApiTests {
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
            // Without reasons the answer is byte for byte the library's results CSV.
            let response = try await client.execute(
                uri: "/api/v1/predict?reasons=0", method: .post, headers: [.contentType: "text/csv"],
                body: ByteBuffer(data: try Data(contentsOf: TestApp.goldenInput)))
            #expect(response.status == .ok)
            #expect(Array(response.body.readableBytesView) == (try UploadTests.libraryResults(for: TestApp.goldenInput, model: TestApp.goldenModel)))
        }
    }

    @Test func stringsNullsAndUnknownFields() async throws {
        let app = try await TestApp.make()
        let model = try LightGBMModel(contentsOf: TestApp.goldenModel)
        let numeric = try #require(FeatureSchema(inferredFrom: model).features.first { $0.kind == .numeric }).name
        // A whole applicant (the golden file's first row, every cell a string), so it can be scored.
        let (header, rows) = try PagesTests.csv(TestApp.goldenInput)
        let cells = Dictionary(uniqueKeysWithValues: zip(header, rows[0]))
        var strings: [String: Any] = cells
        strings[numeric] = "1.5"
        strings["colour"] = "blue"
        var numbers: [String: Any] = cells
        numbers[numeric] = 1.5
        var nulled: [String: Any] = cells
        nulled[numeric] = NSNull()
        let (asStringBody, asNumberBody, nullsBody) = (
            try JSONSerialization.data(withJSONObject: strings), try JSONSerialization.data(withJSONObject: numbers),
            try JSONSerialization.data(withJSONObject: nulled))
        try await app.test(.router) { client in
            let asString = try Self.object(try await Self.post(client, "/api/v1/predict", body: asStringBody))
            let asNumber = try Self.object(try await Self.post(client, "/api/v1/predict", body: asNumberBody))
            #expect(asString["probability_of_default"] as? Double != nil)
            #expect("\(asString["probability_of_default"] ?? "")" == "\(asNumber["probability_of_default"] ?? "")")
            #expect((asString["warnings"] as? [String])?.contains { $0.contains("colour") } == true)
            let nulls = try await Self.post(client, "/api/v1/predict", body: nullsBody)
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

/// Reasons and contributions in the JSON API (issue #6): the very values the library gives.
extension ApiTests {
    @Suite struct Explanations {
        /// The first `count` golden applicants as cells, and the library's view of them.
        struct Golden {
            let bundle: ModelBundle
            let applicants: [[String: String]]
            let matrix: FeatureMatrix
            let issues: [[FieldIssue]]

            init(count: Int) throws {
                bundle = try ModelBundle(location: TestApp.goldenModel)
                let (header, rows) = try ApiTests.goldenApplicants()
                applicants = rows.prefix(count).map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
                let names = bundle.schema.requiredColumns
                let cells = applicants
                (matrix, issues) = BatchScorer(bundle: bundle).encode(rowCount: cells.count) { row, feature, body in
                    var text = cells[row][names[feature]] ?? ""
                    text.withUTF8(body)
                }
            }

            /// What `BatchScorer.explain` gives for these applicants.
            func explanations(_ options: ExplainOptions) -> [Explanation?] {
                BatchScorer(bundle: bundle).explain(matrix, issues: issues, options: options, threads: 1)
            }

            /// The applicants as JSON: every cell as the text it is (read exactly as a CSV cell), missing as null.
            var json: [[String: Any]] {
                applicants.map { $0.mapValues { MissingValue.isMissing($0) ? NSNull() as Any : $0 as Any } }
            }
        }

        static func results(_ response: TestResponse) throws -> [[String: JSONValue]] {
            guard case .object(let root) = try ApiTests.exact(response), case .array(let results)? = root["results"] else {
                throw ApiTestFailure("no results array in \(String(buffer: response.body).prefix(300))")
            }
            return results.compactMap { if case .object(let o) = $0 { o } else { nil } }
        }

        static func double(_ value: JSONValue?) -> Double? {
            if case .number(let text)? = value { Double(text) } else { nil }
        }

        static func string(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { text } else { nil }
        }

        @Test func everyResultCarriesTheLibrarysReasons() async throws {
            let golden = try Golden(count: 30)
            let expected = golden.explanations(ExplainOptions(reasons: ExplainOptions.defaultReasonCount))
            let app = try await TestApp.make()
            try await app.test(.router) { client in
                let response = try await ApiTests.post(client, "/api/v1/predict", json: ["applicants": golden.json])
                #expect(response.status == .ok)
                let results = try Self.results(response)
                #expect(results.count == 30)
                for (row, result) in results.enumerated() {
                    guard case .array(let reasons)? = result["reasons"] else {
                        Issue.record("row \(row): no reasons array")
                        continue
                    }
                    let want = try #require(expected[row]).reasons
                    #expect(reasons.count == want.count, "row \(row)")
                    #expect(reasons.count <= ExplainOptions.defaultReasonCount)
                    for (got, reason) in zip(reasons, want) {
                        guard case .object(let o) = got else { continue }
                        #expect(Self.string(o["feature"]) == reason.feature)
                        #expect(Self.string(o["phrase"]) == reason.phrase)
                        #expect(o["value"] == (reason.value.map(JSONValue.string) ?? .null))
                        #expect(Self.string(o["kind"]) == reason.kind.rawValue)
                        #expect(Self.double(o["contribution"]) == reason.contribution)
                        #expect(reason.contribution > 0)
                        #expect(Self.string(o["text"]) == reason.text)
                        #expect(o["columns"] == .array(reason.columns.map(JSONValue.string)))
                    }
                    #expect(result["contributions"] == nil, "contributions only when asked")
                }
                // One applicant: the same reasons in the single result.
                let single = try ApiTests.exact(try await ApiTests.post(client, "/api/v1/predict", json: golden.json[0]))
                guard case .object(let one) = single, case .array(let reasons)? = one["reasons"] else {
                    Issue.record("single result without reasons")
                    return
                }
                #expect(reasons.count == expected[0]?.reasons.count)
                #expect(one["reasons_unavailable"] == nil)
            }
        }

        @Test func contributionsAreTheLibrarysBitForBitAndSumToTheRawScore() async throws {
            let golden = try Golden(count: 25)
            let model = golden.bundle.model
            let phi = try model.contributions(golden.matrix, threads: 1)
            let raw = model.rawScores(golden.matrix, threads: 1)
            let width = model.featureCount + 1
            let app = try await TestApp.make()
            try await app.test(.router) { client in
                let response = try await ApiTests.post(client, "/api/v1/predict?contributions=true&reasons=0", json: ["applicants": golden.json])
                #expect(response.status == .ok)
                let results = try Self.results(response)
                #expect(results.count == 25)
                for (row, result) in results.enumerated() {
                    #expect(result["reasons"] == nil, "?reasons=0 gives no reasons")
                    guard case .object(let contributions)? = result["contributions"] else {
                        Issue.record("row \(row): no contributions object")
                        continue
                    }
                    #expect(contributions.count == width)
                    var sum = 0.0
                    for (j, name) in model.featureNames.enumerated() {
                        let value = try #require(Self.double(contributions[name]), "row \(row) \(name)")
                        #expect(value.bitPattern == phi[row * width + j].bitPattern, "row \(row) \(name)")
                        sum += value
                    }
                    let expectedValue = try #require(Self.double(contributions["expected_value"]))
                    #expect(expectedValue.bitPattern == phi[row * width + width - 1].bitPattern)
                    let probability = try #require(Self.double(result["probability_of_default"]))
                    #expect(abs(sum + expectedValue - raw[row]) <= 1e-9, "row \(row)")
                    #expect(abs(sum + expectedValue - log(probability / (1 - probability))) <= 1e-9, "row \(row): logit of the probability")
                }
            }
        }

        @Test func reasonsZeroTurnsThemOffAndTheCountIsHonoured() async throws {
            let golden = try Golden(count: 5)
            let app = try await TestApp.make()
            try await app.test(.router) { client in
                let off = try ApiTests.object(try await ApiTests.post(client, "/api/v1/predict?reasons=0", json: golden.json[0]))
                #expect(off["reasons"] == nil)
                #expect(off["contributions"] == nil)
                #expect(off["probability_of_default"] != nil)
                let two = try Self.results(try await ApiTests.post(client, "/api/v1/models/mixed_realistic/predict?reasons=2", json: ["applicants": golden.json]))
                let expected = golden.explanations(ExplainOptions(reasons: 2))
                for (row, result) in two.enumerated() {
                    guard case .array(let reasons)? = result["reasons"] else { Issue.record("no reasons"); continue }
                    #expect(reasons.count == expected[row]?.reasons.count)
                    #expect(reasons.count <= 2)
                }
            }
        }

        @Test func badQueryValuesAre400NamingTheParameterAndValue() async throws {
            let app = try await TestApp.make()
            try await app.test(.router) { client in
                for (query, parameter, value) in [
                    ("reasons=11", "reasons", "11"), ("reasons=-1", "reasons", "-1"), ("reasons=four", "reasons", "four"),
                    ("reasons=", "reasons", "''"), ("contributions=maybe", "contributions", "maybe"), ("contributions=yes&reasons=2", "contributions", "yes"),
                ] {
                    let response = try await ApiTests.post(client, "/api/v1/predict?\(query)", json: [:])
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let detail = try ApiTests.object(response)["detail"] as? String ?? ""
                    #expect(detail.contains("'\(parameter)'") && detail.contains(value), "\(query): \(detail)")
                }
                let csv = try await client.execute(uri: "/api/v1/predict?reasons=99", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: "a\n1\n"))
                #expect(csv.status == .badRequest)
            }
        }

        @Test func aLinearLeafModelIsScoredAndSaysWhyThereAreNoReasons() async throws {
            var configuration = TestApp.configuration()
            configuration.model = TestApp.root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/linear_tree/model.txt").path
            let app = try await TestApp.make(configuration)
            try await app.test(.router) { client in
                let one = try ApiTests.object(try await ApiTests.post(client, "/api/v1/predict?contributions=true", json: ["x1": 0.5, "x2": 1.0]))
                #expect(one["probability_of_default"] as? Double != nil)
                #expect(one["reasons"] == nil && one["contributions"] == nil)
                #expect((one["reasons_unavailable"] as? String)?.contains("linear-leaf") == true)
                let batch = try ApiTests.object(try await ApiTests.post(client, "/api/v1/predict", json: ["applicants": [["x1": 0.5, "x2": 1.0], ["x2": 1.0, "x3": 2.0]]]))
                #expect((batch["reasons_unavailable"] as? String)?.contains("linear-leaf") == true)
                #expect((batch["results"] as? [[String: Any]])?.allSatisfy { $0["reasons"] == nil && $0["reasons_unavailable"] == nil } == true)
                let quiet = try ApiTests.object(try await ApiTests.post(client, "/api/v1/predict?reasons=0", json: ["x1": 0.5, "x2": 1.0]))
                #expect(quiet["reasons_unavailable"] == nil, "nothing asked, nothing to excuse")
                let csv = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: "x1,x2,x3,x4\n0.5,1,,2\n"))
                #expect(csv.status == .ok)
                #expect(!String(buffer: csv.body).contains("reason_1"))
                #expect(csv.headers.first { $0.name.canonicalName == "reasons-unavailable" }?.value.contains("linear-leaf") == true)
            }
        }

        @Test func csvAnswersGainReasonAndContributionColumns() async throws {
            let (header, rows) = try ApiTests.goldenApplicants()
            let all = try Golden(count: rows.count)
            let expected = all.explanations(ExplainOptions(reasons: 4, contributions: true))
            let app = try await TestApp.make()
            try await app.test(.router) { client in
                let body = ByteBuffer(data: try Data(contentsOf: TestApp.goldenInput))
                let response = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.contentType: "text/csv"], body: body)
                #expect(response.status == .ok)
                let reader = response.body.withUnsafeReadableBytes { CSVReader(bytes: $0) }
                let answerHeader = try reader.readHeader()
                #expect(answerHeader == ResultsCSV.header(inputHeader: header) + ["reason_1", "reason_2", "reason_3", "reason_4"])
                var record = CSVRecord()
                var row = 0
                while try reader.read(into: &record) {
                    let cells = record.fields.suffix(4)
                    let texts = (expected[row]?.reasons ?? []).map(\.text)
                    #expect(Array(cells) == texts + Array(repeating: "", count: 4 - texts.count), "row \(row)")
                    row += 1
                }
                #expect(row == rows.count)

                let both = try await client.execute(uri: "/api/v1/predict?reasons=1&contributions=true", method: .post, headers: [.contentType: "text/csv"], body: body)
                let bothReader = both.body.withUnsafeReadableBytes { CSVReader(bytes: $0) }
                let features = all.bundle.model.featureNames
                #expect(try bothReader.readHeader() == ResultsCSV.header(inputHeader: header) + ["reason_1"] + features.map { "contribution_" + $0 } + ["contribution_expected_value"])
                #expect(try bothReader.read(into: &record))
                let phi = try #require(expected[0])
                let numbers = record.fields.suffix(features.count + 1).map { Double($0) }
                #expect(numbers == (phi.contributions + [phi.expectedValue]).map { Optional($0) })
            }
        }
    }
}

struct ApiTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
