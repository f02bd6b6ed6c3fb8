import Foundation
import InferenceGRPC
import LoanRiskCore

/// gRPC's `ModelInferRequest` read into the same `InferenceCall` the REST surface makes:
/// inputs from typed `contents` or, as tritonclient sends them, from `raw_input_contents`
/// (one entry per input, laid out as `TensorBytes` says).
extension InferenceCall {
    init(_ request: Inference_ModelInferRequest) throws(InferenceError) {
        let raw = request.rawInputContents
        guard raw.isEmpty || raw.count == request.inputs.count else {
            throw .badRequest("raw_input_contents has \(raw.count) entries for \(request.inputs.count) inputs; give one per input, in the same order.")
        }
        var inputs: [InferenceInput] = []
        for (index, tensor) in request.inputs.enumerated() {
            let name = tensor.name
            let datatype = try TensorDatatype(named: tensor.datatype, input: name)
            let cells: [String]
            if raw.isEmpty {
                cells = try Self.cells(tensor.contents, datatype: datatype, input: name)
            } else {
                guard !tensor.hasContents else {
                    throw .badRequest("'\(name)' has contents, but the request also carries raw_input_contents; send one or the other.")
                }
                cells = try TensorBytes.cells(raw[index], datatype: datatype, input: name)
            }
            inputs.append(InferenceInput(name: name, datatype: datatype, shape: tensor.shape.map { Int($0) }, cells: cells))
        }
        self.init(id: request.id.isEmpty ? nil : request.id, inputs: inputs)
        outputs = request.outputs.map { RequestedOutput(name: $0.name, parameters: $0.parameters.mapValues(InferenceParameter.init)) }
    }

    /// Typed contents: the elements in the field of the tensor's datatype, and no other.
    private static func cells(_ contents: Inference_InferTensorContents, datatype: TensorDatatype, input: String) throws(InferenceError) -> [String] {
        let cells: [String]
        let field: String
        switch datatype {
        case .bool: (cells, field) = (contents.boolContents.map { $0 ? "1" : "0" }, "bool_contents")
        case .int8, .int16, .int32: (cells, field) = (contents.intContents.map { String($0) }, "int_contents")
        case .int64: (cells, field) = (contents.int64Contents.map { String($0) }, "int64_contents")
        case .uint8, .uint16, .uint32: (cells, field) = (contents.uintContents.map { String($0) }, "uint_contents")
        case .uint64: (cells, field) = (contents.uint64Contents.map { String($0) }, "uint64_contents")
        case .fp32: (cells, field) = (contents.fp32Contents.map { TensorBytes.text(Double($0)) }, "fp32_contents")
        case .fp64: (cells, field) = (contents.fp64Contents.map { TensorBytes.text($0) }, "fp64_contents")
        case .bytes:
            field = "bytes_contents"
            cells = try contents.bytesContents.enumerated().map { index, data throws(InferenceError) in
                guard let text = String(validating: data, as: UTF8.self) else { throw .badRequest("'\(input)' element \(index) is not UTF-8 text.") }
                return text
            }
        }
        let all = contents.boolContents.count + contents.intContents.count + contents.int64Contents.count + contents.uintContents.count
            + contents.uint64Contents.count + contents.fp32Contents.count + contents.fp64Contents.count + contents.bytesContents.count
        guard all == cells.count else {
            throw .badRequest("'\(input)' is \(datatype.rawValue), so its elements belong in contents.\(field); \(all - cells.count) are in other fields.")
        }
        return cells
    }
}

extension InferenceParameter {
    /// A gRPC parameter as the core reads it (every number kind as a number).
    init(_ parameter: Inference_InferParameter) {
        switch parameter.parameterChoice {
        case .boolParam(let flag): self = .bool(flag)
        case .int64Param(let number): self = .number(Double(number))
        case .uint64Param(let number): self = .number(Double(number))
        case .doubleParam(let number): self = .number(number)
        case .stringParam(let text): self = .string(text)
        case nil: self = .string("")
        }
    }
}

extension Inference_ModelInferResponse {
    /// The answer as gRPC sends it: with `raw`, every output's elements in
    /// `raw_output_contents` (what tritonclient reads); otherwise in typed contents.
    init(_ answer: InferenceAnswer, raw: Bool) {
        self.init()
        modelName = answer.modelName
        modelVersion = answer.modelVersion
        id = answer.id ?? ""
        for output in answer.outputs {
            var tensor = Inference_ModelInferResponse.InferOutputTensor()
            tensor.name = output.name
            tensor.datatype = output.datatype.rawValue
            tensor.shape = output.shape.map { Int64($0) }
            if raw {
                rawOutputContents.append(Data(output.binary))
            } else {
                switch output.data {
                case .fp64(let values): tensor.contents.fp64Contents = values
                case .bytes(let values): tensor.contents.bytesContents = values.map { Data($0.utf8) }
                }
            }
            outputs.append(tensor)
        }
    }
}
