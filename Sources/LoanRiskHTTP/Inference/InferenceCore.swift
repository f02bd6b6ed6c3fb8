import LoanRiskCore
import Scoring

/// The one implementation of Open Inference Protocol inference, whatever form the call came
/// in (REST JSON, REST binary tensors, gRPC): checks the input tensors against the model,
/// has the decision service decide the rows (scored, recorded, watched, shadowed as every
/// channel's are), and builds the output tensors. Each surface only reads its wire form into
/// an `InferenceCall` and writes the `InferenceAnswer` back.
struct InferenceCore: Sendable {
    let registry: ModelRegistry
    let decisions: DecisionService

    /// The protocol extensions a surface lists in its server metadata: REST has Triton's
    /// binary tensor extension; gRPC's raw contents are part of the core protocol there.
    static let restExtensions = ["binary_tensor_data"]
    static let grpcExtensions: [String] = []

    /// The model's champion and challenger, taken once for the whole request.
    func serving(named name: String) throws(InferenceError) -> ModelRegistry.Serving {
        guard let serving = registry.serving(named: name) else { throw InferenceError(status: .notFound, message: "Model '\(name)' is not served here.") }
        return serving
    }

    /// Scores the call's rows with the model's champion (every row must be valid: one that
    /// is not is a 400 naming its row and problems). `caller` (`Principal.caller`) is recorded
    /// with each decision.
    func infer(_ call: InferenceCall, serving: ModelRegistry.Serving, caller: String?) async throws -> InferenceAnswer {
        let bundle = serving.champion
        let outputs = try InferenceOutputs(call.outputs, bundle: bundle, canExplain: BatchScorer(bundle: bundle).canExplain)
        let cells = try Self.rows(call.inputs, bundle: bundle)
        let decided: DecisionService.Decided
        do {
            decided = try await decisions.decide(.init(cells: cells), serving: serving, channel: .oip, explain: outputs.explain, caller: caller)
        } catch {
            throw Self.inferenceError(error)
        }
        return InferenceAnswer(
            modelName: bundle.name, modelVersion: bundle.version, id: call.id,
            outputs: outputs.tensors(decided.outcomes, featureCount: bundle.model.featureCount), requestID: decided.requestID)
    }

    /// A decision not given, in the protocol's words: a row that cannot be scored is a 400
    /// naming the first such row and its problems.
    static func inferenceError(_ error: DecisionError) -> InferenceError {
        switch error {
        case .tooManyApplicants(let limit, let count):
            return InferenceError(status: .contentTooLarge, message: "At most \(limit) rows per request; this one has \(count).")
        case .invalid(let problems):
            let row = problems.first?.applicant ?? 0
            return .badRequest("Row \(row): \(problems.filter { $0.applicant == row }.map(\.message).joined(separator: " "))")
        case .unreadableFile(let error):
            return .badRequest(error.message)
        case .notRecorded:
            return InferenceError(status: .serviceUnavailable, message: DecisionError.notRecordedMessage)
        }
    }

    /// How many elements `shape` holds; nil for a negative dimension or a product past Int
    /// (a client's shape is not trusted to multiply safely).
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// The input tensors as one cell dictionary per row. Every tensor must be a model input
    /// with a datatype its kind accepts (BYTES for categorical, any number type for numeric),
    /// its shape must hold exactly its elements, and all must have the same length. An input
    /// left out is missing in every row, as an absent field is in the JSON API.
    static func rows(_ inputs: [InferenceInput], bundle: ModelBundle) throws(InferenceError) -> [[String: String]] {
        let kinds = Dictionary(uniqueKeysWithValues: bundle.schema.features.map { ($0.name, $0.kind) })
        var columns: [String: [String]] = [:]
        var rowCount: Int?
        for input in inputs {
            let name = input.name
            guard let kind = kinds[name] else {
                throw .badRequest("'\(name)' is not an input of \(bundle.name); GET /v2/models/\(bundle.name) lists them.")
            }
            if let datatype = input.datatype {
                let categorical = kind == .categorical
                guard categorical ? datatype == .bytes : datatype.isNumeric else {
                    let expected = categorical ? "BYTES" : "FP64 (or FP32, or an integer type)"
                    throw .badRequest("'\(name)' must be \(expected), not \(datatype.rawValue).")
                }
            }
            if let shape = input.shape {
                guard Self.elementCount(shape) == input.cells.count else {
                    throw .badRequest("'\(name)' declares shape \(shape) but carries \(input.cells.count) values.")
                }
            }
            if let rowCount, rowCount != input.cells.count {
                throw .badRequest("All inputs must have the same length: '\(name)' has \(input.cells.count), others \(rowCount).")
            }
            guard columns[name] == nil else { throw .badRequest("'\(name)' is given twice.") }
            rowCount = input.cells.count
            columns[name] = input.cells
        }
        return (0..<(rowCount ?? 0)).map { row in columns.mapValues { $0[row] } }
    }
}
