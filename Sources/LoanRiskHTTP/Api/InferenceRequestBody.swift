import LoanRiskCore

/// An `infer` request body of the REST surface, in JSON or with Triton's binary tensor data
/// extension: with an `Inference-Header-Content-Length` header, that many bytes of JSON come
/// first and the binary tensors follow, in the order of the inputs whose `parameters` give
/// their `binary_data_size` (`TensorBytes` says how each datatype is laid out).
struct InferenceRequestBody {
    /// The call, every input's cells read from JSON data or from its binary bytes.
    var call: InferenceCall
    /// The outputs to answer in binary form: those asked for with `parameters.binary_data`
    /// true, or all (including the defaults) when `parameters.binary_data_output` is true and
    /// the output says nothing itself.
    var binaryOutputs: Set<String> = []

    /// Reads `body`; `headerLength` is the `Inference-Header-Content-Length` value, if sent.
    init(_ body: [UInt8], headerLength: String?) throws(InferenceError) {
        var jsonEnd = body.count
        if let headerLength {
            guard let length = Int(headerLength), (0...body.count).contains(length) else {
                throw .badRequest("Inference-Header-Content-Length is '\(headerLength)'; it must be a whole number from 0 to the body's \(body.count) bytes.")
            }
            jsonEnd = length
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(Array(body[0..<jsonEnd]))
        } catch {
            throw .badRequest("Invalid JSON: \(error.message) at byte \(error.offset).")
        }
        guard case .object(let root) = json, case .array(let inputs)? = root["inputs"] else {
            throw .badRequest("The request needs an 'inputs' array of tensors.")
        }
        var binary = BinaryTail(body: body, start: jsonEnd, announced: headerLength != nil)
        let tensors = try inputs.map { input throws(InferenceError) in try Self.input(input, binary: &binary) }
        try binary.finish()
        call = InferenceCall(id: nil, inputs: tensors)
        if case .string(let id)? = root["id"] { call.id = id }

        let requestParameters = try Self.parameters(root["parameters"], of: "the request")
        let allBinary = try Self.flag("binary_data_output", in: requestParameters, of: "the request") ?? false
        if case .array(let outputs)? = root["outputs"] {
            for output in outputs {
                guard case .object(let object) = output, case .string(let name)? = object["name"] else {
                    throw .badRequest("Every requested output needs a 'name'.")
                }
                let parameters = try Self.parameters(object["parameters"], of: "output '\(name)'")
                call.outputs.append(RequestedOutput(name: name, parameters: parameters))
                if try Self.flag("binary_data", in: parameters, of: "output '\(name)'") ?? allBinary { binaryOutputs.insert(name) }
            }
        }
        if call.outputs.isEmpty, allBinary { binaryOutputs = Set(InferenceOutputs.Name.allCases.map(\.rawValue)) }
    }

    /// One input tensor: `data` in JSON, or `parameters.binary_data_size` bytes of the tail.
    private static func input(_ value: JSONValue, binary: inout BinaryTail) throws(InferenceError) -> InferenceInput {
        guard case .object(let tensor) = value, case .string(let name)? = tensor["name"] else {
            throw .badRequest("Every input needs a 'name' and a flat 'data' array (or parameters.binary_data_size).")
        }
        var datatype: TensorDatatype?
        if let text = tensor["datatype"] {
            guard case .string(let text) = text else { throw .badRequest("'\(name)' datatype must be a string such as \"FP64\".") }
            datatype = try TensorDatatype(named: text, input: name)
        }
        var shape: [Int]?
        if let value = tensor["shape"] {
            guard case .array(let dimensions) = value else { throw .badRequest("'\(name)' shape must be an array of whole numbers.") }
            shape = try dimensions.map { dimension throws(InferenceError) in
                guard case .number(let text) = dimension, let size = Int(text) else {
                    throw .badRequest("'\(name)' shape must be an array of whole numbers, not \(JSONValue.array(dimensions).compact).")
                }
                return size
            }
        }
        let parameters = try parameters(tensor["parameters"], of: "input '\(name)'")
        if let size = parameters["binary_data_size"] {
            guard tensor["data"] == nil else { throw .badRequest("'\(name)' has both 'data' and parameters.binary_data_size; send one.") }
            guard case .number(let number) = size, let count = Int(exactly: number), count >= 0 else {
                throw .badRequest("'\(name)' parameters.binary_data_size must be a whole number of bytes, not \(size).")
            }
            guard let datatype else { throw .badRequest("'\(name)' is sent in binary, so it needs a 'datatype'.") }
            let cells = try binary.take(count, for: name) { bytes throws(InferenceError) in
                try TensorBytes.cells(bytes, datatype: datatype, input: name)
            }
            return InferenceInput(name: name, datatype: datatype, shape: shape, cells: cells)
        }
        guard case .array(let data)? = tensor["data"] else {
            throw .badRequest("'\(name)' needs a flat 'data' array (or parameters.binary_data_size with binary data).")
        }
        let cells = try data.map { value throws(InferenceError) -> String in
            guard let text = value.cellText else { throw .badRequest("'\(name)' data must be a flat array of scalars.") }
            return text
        }
        return InferenceInput(name: name, datatype: datatype, shape: shape, cells: cells)
    }

    /// A `parameters` object (absent: none); each value a bool, number or string.
    private static func parameters(_ value: JSONValue?, of owner: String) throws(InferenceError) -> [String: InferenceParameter] {
        guard let value else { return [:] }
        guard case .object(let object) = value else { throw .badRequest("The 'parameters' of \(owner) must be an object.") }
        var parameters: [String: InferenceParameter] = [:]
        for (key, value) in object {
            switch value {
            case .bool(let flag): parameters[key] = .bool(flag)
            case .string(let text): parameters[key] = .string(text)
            case .number(let text):
                guard let number = Double(text) else { throw .badRequest("Parameter '\(key)' of \(owner) is not a number: \(text).") }
                parameters[key] = .number(number)
            case .null, .array, .object:
                throw .badRequest("Parameter '\(key)' of \(owner) must be a bool, a number or a string.")
            }
        }
        return parameters
    }

    private static func flag(_ key: String, in parameters: [String: InferenceParameter], of owner: String) throws(InferenceError) -> Bool? {
        guard let value = parameters[key] else { return nil }
        guard case .bool(let flag) = value else { throw .badRequest("Parameter '\(key)' of \(owner) must be true or false.") }
        return flag
    }
}

/// The binary tensors after the JSON header, handed out in order; every byte must belong to
/// an input.
private struct BinaryTail {
    let body: [UInt8]
    let start: Int
    /// Whether the request said where its JSON ends (without that, no input may be binary).
    let announced: Bool
    private var offset: Int
    private var claims: [String] = []

    init(body: [UInt8], start: Int, announced: Bool) {
        self.body = body
        self.start = start
        self.announced = announced
        offset = start
    }

    mutating func take<T>(_ count: Int, for input: String, _ read: (ArraySlice<UInt8>) throws(InferenceError) -> T) throws(InferenceError) -> T {
        guard announced else {
            throw .badRequest("'\(input)' gives parameters.binary_data_size, but the request has no Inference-Header-Content-Length header saying where its JSON ends.")
        }
        guard count <= body.count - offset else {
            throw .badRequest("'\(input)' gives binary_data_size \(count), but only \(body.count - offset) bytes of binary data remain after the JSON header and the inputs before it\(claimed).")
        }
        claims.append("'\(input)' \(count)")
        let range = offset..<offset + count
        offset += count
        return try read(body[range])
    }

    /// Every byte after the JSON header must have been claimed by an input.
    func finish() throws(InferenceError) {
        guard offset == body.count else {
            throw .badRequest("\(body.count - start) bytes follow the JSON header (Inference-Header-Content-Length \(start)), but the inputs' binary_data_size add up to \(offset - start)\(claimed).")
        }
    }

    private var claimed: String { claims.isEmpty ? "" : " (\(claims.joined(separator: ", ")))" }
}
