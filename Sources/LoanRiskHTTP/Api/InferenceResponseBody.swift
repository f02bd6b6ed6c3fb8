import Foundation
import HTTPTypes
import Hummingbird
import LoanRiskCore

/// The REST answer to an `infer` call: JSON, or — when some outputs are asked for in binary
/// — the JSON header (each binary output with `parameters.binary_data_size` instead of
/// `data`) followed by those outputs' bytes in order, its length in
/// `Inference-Header-Content-Length`, as Triton's binary tensor data extension answers.
struct InferenceResponseBody {
    static let headerLengthField = HTTPField.Name("Inference-Header-Content-Length")

    let answer: InferenceAnswer
    let binaryOutputs: Set<String>

    func response() throws -> Response {
        var tail: [UInt8] = []
        let outputs = answer.outputs.map { output -> JSONValueEncodable in
            var tensor: [String: JSONValueEncodable] = [
                "name": .string(output.name), "datatype": .string(output.datatype.rawValue), "shape": .array(output.shape.map { .int($0) }),
            ]
            if binaryOutputs.contains(output.name) {
                let bytes = output.binary
                tensor["parameters"] = .object(["binary_data_size": .int(bytes.count)])
                tail += bytes
            } else {
                switch output.data {
                case .fp64(let values): tensor["data"] = .array(values.map { .double($0) })
                case .bytes(let values): tensor["data"] = .array(values.map { .string($0) })
                }
            }
            return .object(tensor)
        }
        var header: [String: JSONValueEncodable] = [
            "model_name": .string(answer.modelName), "model_version": .string(answer.modelVersion), "outputs": .array(outputs),
        ]
        if let id = answer.id { header["id"] = .string(id) }
        var response: Response
        if tail.isEmpty {
            response = try JSONAnswer(header).response()
        } else {
            let json = try JSONAnswer.encode(header)
            var buffer = ByteBuffer()
            buffer.writeBytes(json)
            buffer.writeBytes(tail)
            response = Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store"], body: .init(byteBuffer: buffer))
            if let field = Self.headerLengthField { response.headers[field] = String(json.count) }
        }
        response.headers[.requestID] = answer.requestID
        return response
    }
}
