import LoanRiskCore
import LoanRiskStorage

/// Reading a `JSONValue` tree without casts: each accessor answers nil when the value is of
/// another kind, so a walker over a document (the OpenAPI description on `/docs`) says what
/// it expects and skips what is not there.
extension JSONValue {
    /// The member `key` of an object; nil for a missing key or a value that is not an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    var members: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    var elements: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var bool: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// A string, or each string of an array: OpenAPI's `type` and `required` come both ways.
    var strings: [String] {
        switch self {
        case .string(let text): return [text]
        case .array(let elements): return elements.compactMap(\.string)
        default: return []
        }
    }

    /// A scalar as a cell's text, as a CSV would give it: numbers exactly as written, strings
    /// as they are, `null` as the empty (missing) cell, booleans as 1 / 0; nil for arrays and
    /// objects, which no cell can hold. (`JSONReader.flatApplicants` reads scalars the same way.)
    var cellText: String? {
        switch self {
        case .null: return ""
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "1" : "0"
        case .object, .array: return nil
        }
    }
}
