import Foundation

extension FieldIssue {
    /// The issues of many rows as one JSON object keyed by row number, `{"12":[{…}],…}`, which
    /// decodes as `[String: [FieldIssue]]`. Written by hand rather than with `JSONEncoder`:
    /// on a 50,000-row file whose units changed, every row has warnings, and the encoder took
    /// more of the upload than scoring it (bench/README.md, "Drifted uploads").
    public static func json(byRow rows: some Sequence<(row: Int, issues: [FieldIssue])>) -> String {
        var out: [UInt8] = []
        out.append(UInt8(ascii: "{"))
        var firstRow = true
        for (row, issues) in rows where !issues.isEmpty {
            if !firstRow { out.append(UInt8(ascii: ",")) }
            firstRow = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: String(row).utf8)
            out.append(contentsOf: "\":[".utf8)
            for (index, issue) in issues.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                issue.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: "{\"severity\":\"\(severity.rawValue)\",\"column\":".utf8)
        Self.appendString(column, to: &out)
        out.append(contentsOf: ",\"value\":".utf8)
        Self.appendString(value, to: &out)
        if let kind { out.append(contentsOf: ",\"kind\":\"\(kind.rawValue)\"".utf8) }
        switch detail {
        case .belowTraining(let low) where low.isFinite: out.append(contentsOf: ",\"below\":\(low)".utf8)
        case .aboveTraining(let high) where high.isFinite: out.append(contentsOf: ",\"above\":\(high)".utf8)
        default:
            out.append(contentsOf: ",\"message\":".utf8)
            Self.appendString(message, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
