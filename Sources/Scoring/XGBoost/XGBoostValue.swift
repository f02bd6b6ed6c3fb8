/// One value of an XGBoost model document, as read from JSON or UBJSON (the two encodings
/// of the same document), before it is checked and turned into `XGBoostDocument`.
///
/// Numbers keep what exactness needs: UBJSON's typed arrays arrive as the float32, int or
/// byte arrays XGBoost wrote; a JSON number is a double, except one whose double lies exactly
/// halfway between two floats, which keeps its text so that `float` rounds the decimal once,
/// as XGBoost's own reader does (rounding to double and then to float could tie the wrong way).
enum XGBoostValue: Sendable {
    case object([String: XGBoostValue])
    case array([XGBoostValue])
    case floats([Float])
    case doubles([Double])
    case integers([Int64])
    case string(String)
    case number(Double)
    case numberText(String)
    case bool(Bool)
    case null

    /// A short name of the value's type, for messages.
    var typeName: String {
        switch self {
        case .object: "an object"
        case .array, .floats, .doubles, .integers: "an array"
        case .string: "a string"
        case .number, .numberText: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    subscript(key: String) -> XGBoostValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number as float32, rounded once from what the file holds.
    var float: Float? {
        switch self {
        case .number(let value): Float(value)
        case .numberText(let text): Float(text)
        case .string(let text): Float(text)
        default: nil
        }
    }

    /// A whole number (XGBoost writes some integers as strings: `"num_class": "0"`).
    var integer: Int? {
        switch self {
        case .number(let value): value.isFinite && value.rounded(.towardZero) == value && abs(value) < 9e15 ? Int(value) : nil
        case .string(let text): Int(text)
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }

    var floatArray: [Float]? {
        switch self {
        case .floats(let values): values
        case .doubles(let values): values.map(Float.init)
        case .integers(let values): values.map(Float.init)
        case .array(let items):
            Self.collect(items) { $0.float }
        default: nil
        }
    }

    var integerArray: [Int]? {
        switch self {
        case .integers(let values): values.map(Int.init)
        case .floats(let values): values.allSatisfy { $0.rounded(.towardZero) == $0 && abs($0) < 1e15 } ? values.map { Int($0) } : nil
        case .array(let items): Self.collect(items) { $0.integer }
        default: nil
        }
    }

    var array: [XGBoostValue]? {
        switch self {
        case .array(let items): items
        case .floats(let values): values.map { .number(Double($0)) }
        case .doubles(let values): values.map { .number($0) }
        case .integers(let values): values.map { .number(Double($0)) }
        default: nil
        }
    }

    private static func collect<T>(_ items: [XGBoostValue], _ read: (XGBoostValue) -> T?) -> [T]? {
        var out: [T] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let value = read(item) else { return nil }
            out.append(value)
        }
        return out
    }
}
