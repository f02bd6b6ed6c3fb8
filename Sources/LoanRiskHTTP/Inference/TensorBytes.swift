import LoanRiskCore

/// The binary form of a tensor, shared by the REST binary extension and gRPC's raw contents:
/// elements flattened in row-major order, little-endian, without padding; a BYTES element is
/// a 4-byte little-endian length followed by that many bytes.
///
/// Elements are read into the text cells the scorer reads (a number as the shortest text
/// that reads back as the same double; NaN as a missing value, as JSON's `null` is), so every
/// form of the protocol reaches the model through the same funnel as the JSON API.
enum TensorBytes {
    /// The cells of input `input`'s `bytes`, read as `datatype`. A length that is not a whole
    /// number of elements, or a BYTES element that runs past the end, is an error naming the
    /// input and the numbers.
    static func cells<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, datatype: TensorDatatype, input: String) throws(InferenceError) -> [String] {
        guard let size = datatype.elementSize else { return try texts(bytes, input: input) }
        guard bytes.count % size == 0 else {
            throw .badRequest("'\(input)' is \(datatype.rawValue), \(size) bytes an element, but carries \(bytes.count) bytes, which is not a whole number of elements.")
        }
        let count = bytes.count / size
        var cells: [String] = []
        cells.reserveCapacity(count)
        for i in 0..<count {
            let at = bytes.index(bytes.startIndex, offsetBy: i * size)
            switch datatype {
            case .fp64: cells.append(text(Double(bitPattern: word(bytes, at, UInt64.self))))
            case .fp32: cells.append(text(Double(Float(bitPattern: word(bytes, at, UInt32.self)))))
            case .int64: cells.append(String(Int64(bitPattern: word(bytes, at, UInt64.self))))
            case .int32: cells.append(String(Int32(bitPattern: word(bytes, at, UInt32.self))))
            case .int16: cells.append(String(Int16(bitPattern: word(bytes, at, UInt16.self))))
            case .int8: cells.append(String(Int8(bitPattern: bytes[at])))
            case .uint64: cells.append(String(word(bytes, at, UInt64.self)))
            case .uint32: cells.append(String(word(bytes, at, UInt32.self)))
            case .uint16: cells.append(String(word(bytes, at, UInt16.self)))
            case .uint8: cells.append(String(bytes[at]))
            case .bool: cells.append(bytes[at] == 0 ? "0" : "1")
            case .bytes: break  // handled above
            }
        }
        return cells
    }

    /// A double as cell text: the shortest decimal that reads back as the same double (Swift's
    /// description), NaN as missing. Infinities are written `inf`, which the scorer refuses
    /// with a message naming the row and column.
    static func text(_ value: Double) -> String {
        value.isNaN ? "" : value.description
    }

    /// FP64 elements in binary form.
    static func encode(_ values: [Double]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 8)
        for value in values { append(value.bitPattern, to: &bytes) }
        return bytes
    }

    /// BYTES elements in binary form: each its UTF-8 bytes after a 4-byte little-endian length.
    static func encode(_ values: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.reduce(0) { $0 + 4 + $1.utf8.count })
        for value in values {
            append(UInt32(value.utf8.count), to: &bytes)
            bytes.append(contentsOf: value.utf8)
        }
        return bytes
    }

    private static func texts<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, input: String) throws(InferenceError) -> [String] {
        var cells: [String] = []
        var at = bytes.startIndex
        while at != bytes.endIndex {
            let remaining = bytes.distance(from: at, to: bytes.endIndex)
            guard remaining >= 4 else {
                throw .badRequest("'\(input)' is BYTES, but its last \(remaining) byte(s) are too few for an element's 4-byte length (element \(cells.count)).")
            }
            let length = Int(word(bytes, at, UInt32.self))
            at = bytes.index(at, offsetBy: 4)
            guard length <= remaining - 4 else {
                throw .badRequest("'\(input)' is BYTES, and element \(cells.count) says it is \(length) bytes long, but only \(remaining - 4) remain.")
            }
            let end = bytes.index(at, offsetBy: length)
            guard let text = String(validating: bytes[at..<end], as: UTF8.self) else {
                throw .badRequest("'\(input)' element \(cells.count) is not UTF-8 text.")
            }
            cells.append(text)
            at = end
        }
        return cells
    }

    /// The little-endian integer of `T`'s width at `at`.
    private static func word<Bytes: RandomAccessCollection<UInt8>, T: FixedWidthInteger>(_ bytes: Bytes, _ at: Bytes.Index, _: T.Type) -> T {
        var value: T = 0
        var index = at
        for shift in stride(from: 0, to: T.bitWidth, by: 8) {
            value |= T(truncatingIfNeeded: bytes[index]) << shift
            index = bytes.index(after: index)
        }
        return value
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
