import Foundation
import Hummingbird
import LoanRiskCore

/// A JSON answer of any surface: a Codable value with sorted keys (so answers diff cleanly),
/// never cached (every answer reflects the live state: models, batches, jobs).
struct JSONAnswer<Value: Encodable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok
    var contentType = "application/json"

    init(_ value: Value, status: HTTPResponse.Status = .ok, contentType: String = "application/json") {
        self.value = value
        self.status = status
        self.contentType = contentType
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try response()
    }

    /// The response without a request (for middleware that turns errors into answers).
    func response() throws -> Response {
        .json(try Self.encode(value), status: status, contentType: contentType)
    }

    /// The JSON text every answer writes (for an answer that adds bytes after it).
    static func encode(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }
}

extension Response {
    /// A JSON answer of text already encoded (as `JSONAnswer.encode` does), with the headers
    /// of every JSON answer.
    static func json(_ text: Data, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(
            status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(data: text)))
    }
}

extension HTTPError {
    /// What the error says to a person: its own message, else a sentence for its status.
    var message: String {
        if let body, !body.isEmpty { return body }
        switch status {
        case .notFound: return "There is no page at this address."
        case .methodNotAllowed: return "This address does not accept that kind of request."
        default: return status.reasonPhrase
        }
    }
}
