import LoanRiskCore

/// An Open Inference Protocol tensor datatype, as named on the wire ("FP64", "BYTES", …),
/// with what a model input of each kind accepts. FP16 and BF16 are not read: no client
/// sends credit data in half precision, and Swift has no Float16 on every platform we build.
enum TensorDatatype: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case uint8 = "UINT8", uint16 = "UINT16", uint32 = "UINT32", uint64 = "UINT64"
    case int8 = "INT8", int16 = "INT16", int32 = "INT32", int64 = "INT64"
    case fp32 = "FP32", fp64 = "FP64"
    case bytes = "BYTES"

    /// Bytes an element takes in binary form; nil for BYTES, whose elements carry their own length.
    var elementSize: Int? {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .fp32: return 4
        case .uint64, .int64, .fp64: return 8
        case .bytes: return nil
        }
    }

    /// What a numeric input accepts: every number type (an integer or a float32 is read as
    /// the double it is exactly), not BOOL or BYTES.
    var isNumeric: Bool { self != .bool && self != .bytes }

    /// Reads a datatype name, or says which names are known.
    init(named name: String, input: String) throws(InferenceError) {
        guard let datatype = TensorDatatype(rawValue: name) else {
            let known = TensorDatatype.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badRequest("'\(input)' has datatype '\(name)', which is not one this server reads (\(known)).")
        }
        self = datatype
    }
}
