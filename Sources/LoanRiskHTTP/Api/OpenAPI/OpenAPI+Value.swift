import LoanRiskCore

extension OpenAPI {
    /// A JSON value where the document holds data rather than description: an `enum`'s
    /// values, a `default`, `examples`, a request body's `example`. Written with literals
    /// (`["approve", "review"]`, `4`, `nil`).
    indirect enum Value: Encodable, Equatable, Sendable {
        case string(String)
        case integer(Int)
        /// A finite number (an example read from a model's typical value).
        case number(Double)
        case bool(Bool)
        case null
        case array([Value])
        case object([String: Value])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .integer(let number): try container.encode(number)
            case .number(let number): try container.encode(number)
            case .bool(let flag): try container.encode(flag)
            case .null: try container.encodeNil()
            case .array(let elements): try container.encode(elements)
            case .object(let members): try container.encode(members)
            }
        }

        /// The text of a string; nil for any other value.
        var string: String? {
            guard case .string(let text) = self else { return nil }
            return text
        }
    }
}

extension OpenAPI.Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(nilLiteral: ()) { self = .null }
    init(arrayLiteral elements: OpenAPI.Value...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, OpenAPI.Value)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }
}
