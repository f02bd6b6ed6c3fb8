@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// Triton's binary tensor data extension on `/v2`: the element layouts (`TensorBytes`), the
/// framing of a request (`InferenceRequestBody`), and a whole binary round trip through the
/// real app, whose probabilities must equal the JSON request's.
@Suite(.sharingTheCores) struct InferenceBinaryTests {
    private static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    private static func framed(_ texts: [String]) -> [UInt8] {
        texts.flatMap { littleEndian([UInt32($0.utf8.count)]) + Array($0.utf8) }
    }

    @Test func everyNumberTypeReadsAsTheDoubleItIs() throws {
        let cases: [(TensorDatatype, [UInt8], [String])] = [
            (.fp64, Self.littleEndian([(0.1).bitPattern, (-2.5e300).bitPattern, Double.nan.bitPattern]), ["0.1", "-2.5e+300", ""]),
            (.fp32, Self.littleEndian([Float(0.1).bitPattern, Float(3).bitPattern]), [Double(Float(0.1)).description, "3.0"]),
            (.int64, Self.littleEndian([Int64.min, 42]), ["-9223372036854775808", "42"]),
            (.int32, Self.littleEndian([Int32(-7), Int32.max]), ["-7", "2147483647"]),
            (.int16, Self.littleEndian([Int16(-300)]), ["-300"]),
            (.int8, [0xFF, 0x05], ["-1", "5"]),
            (.uint64, Self.littleEndian([UInt64.max]), ["18446744073709551615"]),
            (.uint32, Self.littleEndian([UInt32(70_000)]), ["70000"]),
            (.uint16, Self.littleEndian([UInt16(65_535)]), ["65535"]),
            (.uint8, [200], ["200"]),
            (.bool, [0, 1, 7], ["0", "1", "1"]),
            (.bytes, Self.framed(["A", "", "36 months", "é"]), ["A", "", "36 months", "é"]),
        ]
        for (datatype, bytes, expected) in cases {
            #expect(try TensorBytes.cells(bytes, datatype: datatype, input: "x") == expected, "\(datatype)")
            // A slice that does not start at index 0 reads the same (a body's tail is one).
            let padded = [0xAA] + bytes
            #expect(try TensorBytes.cells(padded[1...], datatype: datatype, input: "x") == expected, "\(datatype) slice")
        }
        #expect(try TensorBytes.cells([UInt8](), datatype: .fp64, input: "x") == [])
    }

    @Test func encodedOutputsReadBack() throws {
        let numbers = [0.25, 1e-300, -0.0]
        #expect(try TensorBytes.cells(TensorBytes.encode(numbers), datatype: .fp64, input: "p") == numbers.map(\.description))
        let texts = ["approve", "", "a reason, with ünïcode"]
        #expect(try TensorBytes.cells(TensorBytes.encode(texts), datatype: .bytes, input: "d") == texts)
        #expect(TensorBytes.encode(["ab"]) == [2, 0, 0, 0, 0x61, 0x62])
    }

    @Test func oddSizesAreErrorsNamingTheInputAndTheNumbers() {
        func message(_ bytes: [UInt8], _ datatype: TensorDatatype) -> String {
            Self.message { () throws(InferenceError) in _ = try TensorBytes.cells(bytes, datatype: datatype, input: "annual_inc") }
        }
        let fp64 = message([UInt8](repeating: 0, count: 12), .fp64)
        #expect(fp64.contains("'annual_inc'") && fp64.contains("FP64") && fp64.contains("12 bytes"), "\(fp64)")
        let fp32 = message([1, 2, 3], .fp32)
        #expect(fp32.contains("FP32") && fp32.contains("3 bytes"), "\(fp32)")
        let int16 = message([1], .int16)
        #expect(int16.contains("INT16"), "\(int16)")
        let shortPrefix = message([3, 0], .bytes)
        #expect(shortPrefix.contains("'annual_inc'") && shortPrefix.contains("2 byte"), "\(shortPrefix)")
        let overrun = message(Self.littleEndian([UInt32(50)]) + Array("abc".utf8), .bytes)
        #expect(overrun.contains("50 bytes long") && overrun.contains("only 3 remain"), "\(overrun)")
        let second = message(Self.framed(["ok"]) + [9, 0, 0, 0], .bytes)
        #expect(second.contains("element 1"), "\(second)")
        let invalid = message(Self.littleEndian([UInt32(1)]) + [0xFF], .bytes)
        #expect(invalid.contains("not UTF-8"), "\(invalid)")
    }

    /// A binary-extension body: the JSON header, then the tensors' bytes.
    private static func body(_ json: String, _ tail: [UInt8]) -> (bytes: [UInt8], headerLength: String) {
        (Array(json.utf8) + tail, String(json.utf8.count))
    }

    /// The message of the error `body` throws ("no error" when it throws none).
    private static func message(_ body: () throws(InferenceError) -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch { return error.message }
    }

    private static func framingError(_ json: String, _ tail: [UInt8], headerLength: String? = nil) -> String {
        let (bytes, length) = body(json, tail)
        return message { () throws(InferenceError) in _ = try InferenceRequestBody(bytes, headerLength: headerLength ?? length) }
    }

    @Test func theRequestFramingSplitsHeaderAndTensorsInOrder() throws {
        let json = #"{"id": "b1", "inputs": [{"name": "a", "datatype": "FP64", "shape": [2], "parameters": {"binary_data_size": 16}}, {"name": "b", "datatype": "BYTES", "shape": [1], "data": ["x"]}, {"name": "c", "datatype": "BYTES", "shape": [2], "parameters": {"binary_data_size": 11}}], "outputs": [{"name": "decision", "parameters": {"binary_data": true}}, {"name": "probability_of_default"}]}"#
        let tail = Self.littleEndian([(1.5).bitPattern, (2.0).bitPattern]) + Self.framed(["hi", "z"])  // 16 + 11 bytes
        let good = Self.body(json, tail)
        let longer = Self.body(json, tail + [0])  // one byte no input claims
        #expect(throws: InferenceError.self) { try InferenceRequestBody(longer.bytes, headerLength: longer.headerLength) }
        let parsed = try InferenceRequestBody(good.bytes, headerLength: good.headerLength)
        #expect(parsed.call.id == "b1")
        #expect(parsed.call.inputs.map(\.name) == ["a", "b", "c"])
        #expect(parsed.call.inputs.map(\.cells) == [["1.5", "2.0"], ["x"], ["hi", "z"]])
        #expect(parsed.call.outputs.map(\.name) == ["decision", "probability_of_default"])
        #expect(parsed.binaryOutputs == ["decision"])
    }

    @Test func binaryDataOutputMakesEveryOutputBinaryUnlessOneSaysOtherwise() throws {
        let all = try InferenceRequestBody(Array(#"{"inputs": [], "parameters": {"binary_data_output": true}}"#.utf8), headerLength: nil)
        #expect(all.binaryOutputs.isSuperset(of: ["probability_of_default", "decision"]))
        let mixed = try InferenceRequestBody(Array(#"{"inputs": [], "parameters": {"binary_data_output": true}, "outputs": [{"name": "decision"}, {"name": "reasons", "parameters": {"binary_data": false}}]}"#.utf8), headerLength: nil)
        #expect(mixed.binaryOutputs == ["decision"])
        let none = try InferenceRequestBody(Array(#"{"inputs": []}"#.utf8), headerLength: nil)
        #expect(none.binaryOutputs.isEmpty)
    }

    @Test func framingMismatchesAreErrorsNamingTheInputAndTheValue() {
        let one = #"{"inputs": [{"name": "annual_inc", "datatype": "FP64", "shape": [1], "parameters": {"binary_data_size": 8}}]}"#
        let eight = Self.littleEndian([(1.0).bitPattern])
        let extra = Self.framingError(one, eight + [1, 2, 3])
        #expect(extra.contains("11 bytes follow") && extra.contains("add up to 8") && extra.contains("'annual_inc' 8"), "\(extra)")
        let short = Self.framingError(one, [1, 2, 3])
        #expect(short.contains("'annual_inc'") && short.contains("binary_data_size 8") && short.contains("only 3"), "\(short)")
        let tooLong = Self.framingError(one, eight, headerLength: "100000")
        #expect(tooLong.contains("Inference-Header-Content-Length is '100000'"), "\(tooLong)")
        let notNumber = Self.framingError(one, eight, headerLength: "ten")
        #expect(notNumber.contains("'ten'"), "\(notNumber)")
        let noHeader = Self.message { () throws(InferenceError) in _ = try InferenceRequestBody(Array(one.utf8) + eight, headerLength: nil) }
        // Without the header the whole body is read as JSON: the binary bytes make it invalid.
        #expect(noHeader.contains("Invalid JSON"), "\(noHeader)")
        let headerOnly = #"{"inputs": [{"name": "annual_inc", "datatype": "FP64", "parameters": {"binary_data_size": 0}}]}"#
        let announced = Self.message { () throws(InferenceError) in _ = try InferenceRequestBody(Array(headerOnly.utf8), headerLength: nil) }
        #expect(announced.contains("no Inference-Header-Content-Length"), "\(announced)")
        let both = Self.framingError(#"{"inputs": [{"name": "annual_inc", "datatype": "FP64", "data": [1], "parameters": {"binary_data_size": 8}}]}"#, eight)
        #expect(both.contains("both 'data' and parameters.binary_data_size"), "\(both)")
        let untyped = Self.framingError(#"{"inputs": [{"name": "annual_inc", "parameters": {"binary_data_size": 8}}]}"#, eight)
        #expect(untyped.contains("'annual_inc'") && untyped.contains("datatype"), "\(untyped)")
        let fractional = Self.framingError(#"{"inputs": [{"name": "annual_inc", "datatype": "FP64", "parameters": {"binary_data_size": 7.5}}]}"#, eight)
        #expect(fractional.contains("7.5"), "\(fractional)")
        let unknownType = Self.framingError(#"{"inputs": [{"name": "annual_inc", "datatype": "FP16", "parameters": {"binary_data_size": 2}}]}"#, [0, 0])
        #expect(unknownType.contains("'annual_inc'") && unknownType.contains("FP16"), "\(unknownType)")
    }

    @Test func aBinaryRoundTripScoresAsTheJSONRequestDoes() async throws {
        let app = try await TestApp.make()
        let bundle = try ModelBundle(location: TestApp.goldenModel)
        let (header, rows) = try PagesTests.csv(TestApp.goldenInput)
        let sample = Array(rows.prefix(7))
        let expected = BatchScorer(bundle: bundle).score(applicants: sample.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
        // Numeric inputs in turn as FP64, FP32-exact and INT64 where the values allow; categorical as BYTES.
        var tensors: [String] = []
        var tail: [UInt8] = []
        for spec in bundle.schema.features {
            let column = header.firstIndex(of: spec.name) ?? 0
            let cells = sample.map { $0[column] }
            let bytes: [UInt8]
            let datatype: String
            if spec.kind == .categorical {
                (bytes, datatype) = (Self.framed(cells.map { MissingValue.isMissing($0) ? "" : $0 }), "BYTES")
            } else if cells.allSatisfy({ Int64($0) != nil }) {
                (bytes, datatype) = (Self.littleEndian(cells.compactMap { Int64($0) }), "INT64")
            } else {
                (bytes, datatype) = (TensorBytes.encode(cells.map { Double($0) ?? .nan }), "FP64")
            }
            tensors.append(#"{"name": "\#(spec.name)", "datatype": "\#(datatype)", "shape": [\#(sample.count)], "parameters": {"binary_data_size": \#(bytes.count)}}"#)
            tail += bytes
        }
        let json = #"{"inputs": [\#(tensors.joined(separator: ", "))], "outputs": [{"name": "probability_of_default", "parameters": {"binary_data": true}}, {"name": "decision", "parameters": {"binary_data": true}}]}"#
        let request = Array(json.utf8) + tail
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/v2/models/mixed_realistic/infer", method: .post,
                headers: [.contentType: "application/octet-stream", InferenceResponseBody.headerLengthField!: String(json.utf8.count)],
                body: ByteBuffer(bytes: request))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let body = Array(response.body.readableBytesView)
            let length = try #require(response.headers[InferenceResponseBody.headerLengthField!].flatMap { Int($0) })
            guard case .object(let root) = try JSONReader.parse(Array(body[..<length])), case .array(let outputs)? = root["outputs"] else {
                Issue.record("no outputs")
                return
            }
            let sizes = outputs.map { output -> Int in
                guard case .object(let o) = output, case .object(let p)? = o["parameters"], case .number(let n)? = p["binary_data_size"] else { return -1 }
                return Int(n) ?? -1
            }
            #expect(sizes[0] == 8 * sample.count)
            let probabilities = try TensorBytes.cells(body[length..<length + sizes[0]], datatype: .fp64, input: "p").map { Double($0) }
            #expect(probabilities == expected.map(\.probability))
            let decisions = try TensorBytes.cells(body[(length + sizes[0])...], datatype: .bytes, input: "d")
            #expect(decisions == expected.map { $0.decision?.rawValue ?? "" })
            #expect(length + sizes[0] + sizes[1] == body.count)
        }
    }

    @Test func serverMetadataListsTheBinaryExtension() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v2", method: .get)
            #expect(String(buffer: response.body).contains(#""extensions":["binary_tensor_data"]"#))
        }
    }
}
