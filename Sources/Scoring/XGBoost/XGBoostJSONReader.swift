import Foundation

/// Reads an XGBoost JSON model into `XGBoostValue`s.
///
/// A reader of its own rather than `JSONDecoder`: the float32 values (split conditions,
/// leaf values, covers) must be rounded from their decimal text exactly once, and a
/// 1,000-tree model holds over a million numbers, which this reads in one pass over the bytes.
struct XGBoostJSONReader {
    private let bytes: [UInt8]
    private var position = 0

    init(data: Data) {
        // A NUL after the text stops `strtod` at the end of a number that ends the file.
        bytes = [UInt8](data) + [0]
    }

    static func read(_ data: Data) throws(ModelLoadError) -> XGBoostValue {
        var reader = XGBoostJSONReader(data: data)
        let value = try reader.value()
        reader.skipSpace()
        guard reader.position == reader.bytes.count - 1 else {
            throw reader.error("unexpected text after the document")
        }
        return value
    }

    private mutating func value() throws(ModelLoadError) -> XGBoostValue {
        skipSpace()
        guard position < bytes.count - 1 else { throw error("the document ends early") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func object() throws(ModelLoadError) -> XGBoostValue {
        position += 1
        var members: [String: XGBoostValue] = [:]
        skipSpace()
        if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':'") }
            position += 1
            members[key] = try value()
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func array() throws(ModelLoadError) -> XGBoostValue {
        position += 1
        var items: [XGBoostValue] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            items.append(try value())
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(items)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func string() throws(ModelLoadError) -> String {
        position += 1
        var start = position
        var text = ""
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: "\"") {
                text += String(decoding: bytes[start..<position], as: UTF8.self)
                position += 1
                return text
            }
            if c == UInt8(ascii: "\\") {
                text += String(decoding: bytes[start..<position], as: UTF8.self)
                position += 1
                guard position < bytes.count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): text += "\n"
                case UInt8(ascii: "t"): text += "\t"
                case UInt8(ascii: "r"): text += "\r"
                case UInt8(ascii: "b"): text += "\u{8}"
                case UInt8(ascii: "f"): text += "\u{C}"
                case UInt8(ascii: "u"):
                    guard position + 4 <= bytes.count,
                          let code = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
                    else { throw error("a bad \\u escape") }
                    position += 4
                    text += String(UnicodeScalar(code).map(Character.init) ?? "\u{FFFD}")
                default: text += String(UnicodeScalar(escaped))
                }
                start = position
                continue
            }
            position += 1
        }
        throw error("a string is not closed")
    }

    /// A number, read in place by `strtod` (correctly rounded; the byte array ends with a NUL
    /// that stops it), without making a string of each of a model's million numbers.
    private mutating func number() throws(ModelLoadError) -> XGBoostValue {
        let start = position
        let (value, length) = bytes.withUnsafeBufferPointer { buffer -> (Double, Int) in
            guard let base = buffer.baseAddress else { return (0, 0) }
            let begin = UnsafeRawPointer(base + start).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(begin, &end)
            return (value, end.map { UnsafeRawPointer($0) - UnsafeRawPointer(begin) } ?? 0)
        }
        let first = bytes[start]
        guard length > 0, first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw error("unexpected character")
        }
        position += length
        // A double halfway between two floats would round to float a second time: keep the text.
        if Self.isFloatMidpoint(value) {
            return .numberText(String(decoding: bytes[start..<position], as: UTF8.self))
        }
        return .number(value)
    }

    /// Whether `value` (in float's normal range) lies exactly halfway between two floats:
    /// its 29 mantissa bits below float precision are exactly `100…0`.
    static func isFloatMidpoint(_ value: Double) -> Bool {
        let low = value.bitPattern & ((1 << 29) - 1)
        return low == 1 << 28 || (value != 0 && abs(value) < Double(Float.leastNormalMagnitude))
    }

    private mutating func literal(_ word: StaticString) throws(ModelLoadError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("the document ends early") }
        for k in 0..<count where bytes[position + k] != word.utf8Start[k] {
            throw error("expected \(word)")
        }
        position += count
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private func peek() -> UInt8? {
        position < bytes.count - 1 ? bytes[position] : nil
    }

    private func error(_ what: String) -> ModelLoadError {
        ModelLoadError("The XGBoost JSON model is not valid JSON at byte \(position): \(what).")
    }
}
