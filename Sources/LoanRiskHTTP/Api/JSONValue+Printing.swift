import LoanRiskCore

/// JSON text of a `JSONValue`: numbers exactly as read, object keys sorted so the same value
/// always prints the same (the docs page compares printed schemas to say each one once).
extension JSONValue {
    /// Two-space indented, one member per line; an array of scalars (`"shape": [1]`,
    /// `"required": ["name", "version"]`) stays on its line, other arrays one element a line.
    var pretty: String {
        var out = ""
        write(to: &out, indent: "\n")
        return out
    }

    /// On one line with no spaces, as a curl line sends it.
    var compact: String {
        var out = ""
        write(to: &out, indent: nil)
        return out
    }

    /// `indent` is the line break and indentation before a nested line; nil for compact text.
    private func write(to out: inout String, indent: String?) {
        let inner = indent.map { $0 + "  " }
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): out += Self.quoted(text)
        case .array(let elements) where indent != nil && elements.allSatisfy(\.isScalar):
            out += "[" + elements.map(\.compact).joined(separator: ", ") + "]"
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                out += (index > 0 ? "," : "") + (inner ?? "")
                element.write(to: &out, indent: inner)
            }
            out += (elements.isEmpty ? "" : indent ?? "") + "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                out += (index > 0 ? "," : "") + (inner ?? "") + Self.quoted(key) + (indent == nil ? ":" : ": ")
                members[key]?.write(to: &out, indent: inner)
            }
            out += (members.isEmpty ? "" : indent ?? "") + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// A JSON string literal, escaped as the API's answers escape theirs.
    private static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
