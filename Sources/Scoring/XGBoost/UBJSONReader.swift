import Foundation

/// Reads Universal Binary JSON (ubjson.org, draft 12) as XGBoost writes it for `.ubj` models
/// (the default format since XGBoost 2.1): big-endian numbers, objects whose keys carry no
/// type marker, and strongly typed arrays (`[$d#L…` float32, `$l` int32, `$L` int64, `$U`
/// uint8) that are read straight into arrays of their type.
struct UBJSONReader {
    private let bytes: [UInt8]
    private var position = 0

    init(data: Data) {
        bytes = [UInt8](data)
    }

    /// The document: one value, then nothing but padding.
    static func read(_ data: Data) throws(ModelLoadError) -> XGBoostValue {
        var reader = UBJSONReader(data: data)
        return try reader.value()
    }

    private mutating func value() throws(ModelLoadError) -> XGBoostValue {
        var marker = try byte()
        while marker == UInt8(ascii: "N") { marker = try byte() }
        return try value(marker: marker)
    }

    private mutating func value(marker: UInt8) throws(ModelLoadError) -> XGBoostValue {
        switch marker {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "S"), UInt8(ascii: "H"):
            let text = try string()
            return marker == UInt8(ascii: "H") ? .numberText(text) : .string(text)
        case UInt8(ascii: "C"): return .string(String(UnicodeScalar(try byte())))
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "d"): return .number(Double(Float(bitPattern: UInt32(try unsigned(4)))))
        case UInt8(ascii: "D"): return .number(Double(bitPattern: try unsigned(8)))
        default:
            guard let integer = try integer(marker: marker) else {
                throw ModelLoadError("The UBJSON model has an unknown type marker 0x\(String(marker, radix: 16)) at byte \(position - 1).")
            }
            return .number(Double(integer))
        }
    }

    /// An integer of the type `marker` names, or nil when it names no integer type.
    private mutating func integer(marker: UInt8) throws(ModelLoadError) -> Int64? {
        switch marker {
        case UInt8(ascii: "i"): Int64(Int8(bitPattern: try byte()))
        case UInt8(ascii: "U"): Int64(try byte())
        case UInt8(ascii: "I"): Int64(Int16(truncatingIfNeeded: try unsigned(2)))
        case UInt8(ascii: "l"): Int64(Int32(truncatingIfNeeded: try unsigned(4)))
        case UInt8(ascii: "L"): Int64(bitPattern: try unsigned(8))
        default: nil
        }
    }

    private mutating func length() throws(ModelLoadError) -> Int {
        let marker = try byte()
        guard let count = try integer(marker: marker), count >= 0, count <= Int64(bytes.count) else {
            throw ModelLoadError("The UBJSON model has an invalid length at byte \(position - 1).")
        }
        return Int(count)
    }

    private mutating func string() throws(ModelLoadError) -> String {
        let count = try length()
        try need(count)
        let text = String(decoding: bytes[position..<(position + count)], as: UTF8.self)
        position += count
        return text
    }

    /// The optional `$type` and `#count` that follow a container's opening marker.
    private mutating func containerHeader() throws(ModelLoadError) -> (type: UInt8?, count: Int?) {
        var type: UInt8?
        if peek() == UInt8(ascii: "$") {
            position += 1
            type = try byte()
            guard peek() == UInt8(ascii: "#") else {
                throw ModelLoadError("The UBJSON model has a typed container without a count at byte \(position).")
            }
        }
        var count: Int?
        if peek() == UInt8(ascii: "#") {
            position += 1
            count = try length()
        }
        return (type, count)
    }

    private mutating func object() throws(ModelLoadError) -> XGBoostValue {
        let (type, count) = try containerHeader()
        var members: [String: XGBoostValue] = [:]
        var read = 0
        while true {
            if let count {
                if read == count { break }
            } else if peek() == UInt8(ascii: "}") {
                position += 1
                break
            }
            let key = try string()
            members[key] = try element(type)
            read += 1
        }
        return .object(members)
    }

    private mutating func array() throws(ModelLoadError) -> XGBoostValue {
        let (type, count) = try containerHeader()
        if let type, let count {
            switch type {
            case UInt8(ascii: "d"): return .floats(try numbers(count, width: 4) { Float(bitPattern: UInt32($0)) })
            case UInt8(ascii: "D"): return .doubles(try numbers(count, width: 8) { Double(bitPattern: $0) })
            case UInt8(ascii: "U"): return .integers(try numbers(count, width: 1) { Int64($0) })
            case UInt8(ascii: "i"): return .integers(try numbers(count, width: 1) { Int64(Int8(truncatingIfNeeded: $0)) })
            case UInt8(ascii: "I"): return .integers(try numbers(count, width: 2) { Int64(Int16(truncatingIfNeeded: $0)) })
            case UInt8(ascii: "l"): return .integers(try numbers(count, width: 4) { Int64(Int32(truncatingIfNeeded: $0)) })
            case UInt8(ascii: "L"): return .integers(try numbers(count, width: 8) { Int64(bitPattern: $0) })
            default: break
            }
        }
        var items: [XGBoostValue] = []
        if let count { items.reserveCapacity(count) }
        while true {
            if let count {
                if items.count == count { break }
            } else if peek() == UInt8(ascii: "]") {
                position += 1
                break
            }
            items.append(try element(type))
        }
        return .array(items)
    }

    /// A container's element: of the container's type when it has one, else marked.
    private mutating func element(_ type: UInt8?) throws(ModelLoadError) -> XGBoostValue {
        if let type { return try value(marker: type) }
        return try value()
    }

    /// `count` big-endian numbers of `width` bytes each, converted by `make`.
    private mutating func numbers<T>(_ count: Int, width: Int, _ make: (UInt64) -> T) throws(ModelLoadError) -> [T] {
        try need(count * width)
        let start = position
        position += count * width
        return bytes.withUnsafeBufferPointer { buffer in
            [T](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count {
                    var raw: UInt64 = 0
                    let base = start + i * width
                    for k in 0..<width { raw = raw << 8 | UInt64(buffer[base + k]) }
                    out[i] = make(raw)
                }
                initialized = count
            }
        }
    }

    private mutating func unsigned(_ width: Int) throws(ModelLoadError) -> UInt64 {
        try need(width)
        var raw: UInt64 = 0
        for k in 0..<width { raw = raw << 8 | UInt64(bytes[position + k]) }
        position += width
        return raw
    }

    private mutating func byte() throws(ModelLoadError) -> UInt8 {
        try need(1)
        position += 1
        return bytes[position - 1]
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func need(_ count: Int) throws(ModelLoadError) {
        guard count >= 0, position + count <= bytes.count else {
            throw ModelLoadError("The UBJSON model ends early (at byte \(bytes.count)): is the file complete?")
        }
    }
}
