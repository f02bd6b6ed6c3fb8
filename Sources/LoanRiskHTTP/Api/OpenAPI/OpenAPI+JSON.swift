import Foundation
import LoanRiskCore

extension OpenAPI {
    /// The document's JSON text: keys sorted, so the same document is always the same bytes.
    static func encoded(_ value: some Encodable, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return try encoder.encode(value)
    }

    /// A part of the document as `/openapi.json` writes it, read back exactly, for the docs
    /// page to print (its numbers are the served text, not a second formatting of them).
    static func json(_ value: some Encodable) throws -> JSONValue {
        try JSONReader.parse(Array(encoded(value, pretty: false)))
    }
}
