import LoanRiskCore

/// An Open Inference Protocol `infer` call as read from any of its forms — REST JSON, REST
/// with binary tensors, gRPC with typed or raw contents — so one `InferenceCore` answers
/// them all.
struct InferenceCall: Sendable {
    /// The client's request id, echoed in the answer.
    var id: String?
    var inputs: [InferenceInput]
    /// The outputs asked for, in order; empty: the defaults.
    var outputs: [RequestedOutput] = []
}

/// One input tensor: its elements already read into the text cells the scorer takes (a
/// missing value as "").
struct InferenceInput: Sendable {
    let name: String
    /// nil when a JSON client left `datatype` out.
    let datatype: TensorDatatype?
    /// nil when a JSON client left `shape` out.
    let shape: [Int]?
    let cells: [String]
}

/// An output the client asked for, with its parameters (`count` for `reasons`; the REST
/// surface reads `binary_data` too).
struct RequestedOutput: Sendable {
    let name: String
    var parameters: [String: InferenceParameter] = [:]
}

/// A request or tensor parameter's value: the protocol allows a bool, a number or a string.
enum InferenceParameter: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case number(Double)
    case string(String)

    /// As a message quotes it: `true`, `12.5`, `"text"`.
    var description: String {
        switch self {
        case .bool(let flag): return String(flag)
        case .number(let number): return number.description
        case .string(let text): return "\"\(text)\""
        }
    }
}

/// The answer to an `InferenceCall`.
struct InferenceAnswer: Sendable {
    let modelName: String
    let modelVersion: String
    let id: String?
    let outputs: [OutputTensor]
    /// The audit trail's id for this request (`X-Request-Id` on REST, metadata on gRPC).
    let requestID: String
}

/// One output tensor; its elements are doubles (FP64) or texts (BYTES).
struct OutputTensor: Sendable {
    enum Data: Sendable {
        case fp64([Double])
        case bytes([String])
    }

    let name: String
    let shape: [Int]
    let data: Data

    var datatype: TensorDatatype {
        switch data {
        case .fp64: return .fp64
        case .bytes: return .bytes
        }
    }

    /// The elements in binary form (`TensorBytes`).
    var binary: [UInt8] {
        switch data {
        case .fp64(let values): return TensorBytes.encode(values)
        case .bytes(let values): return TensorBytes.encode(values)
        }
    }
}
