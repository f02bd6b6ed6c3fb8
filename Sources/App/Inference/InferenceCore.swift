import Scoring

/// The one implementation of Open Inference Protocol inference, whatever form the call came
/// in (REST JSON, REST binary tensors, gRPC): checks the input tensors against the model,
/// scores the rows through `BatchScorer`, records them in the audit trail, hands them to the
/// challenger, and builds the output tensors. Each surface only reads its wire form into an
/// `InferenceCall` and writes the `InferenceAnswer` back.
struct InferenceCore: Sendable {
    let registry: ModelRegistry
    let configuration: AppConfiguration
    let audit: AuditTrail
    let shadow: ShadowScorer

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
    /// is not is a 400 naming its row and problems).
    func infer(_ call: InferenceCall, serving: ModelRegistry.Serving) async throws -> InferenceAnswer {
        let bundle = serving.champion
        let scorer = BatchScorer(bundle: bundle)
        let outputs = try InferenceOutputs(call.outputs, bundle: bundle, canExplain: scorer.canExplain)
        let cells = try Self.rows(call.inputs, bundle: bundle)
        guard cells.count <= configuration.apiBatchLimit else {
            throw InferenceError(status: .contentTooLarge, message: "At most \(configuration.apiBatchLimit) rows per request; this one has \(cells.count).")
        }
        let (outcomes, samples) = scorer.scoreSampling(applicants: cells, explain: outputs.explain, threads: configuration.threads)
        if let (row, outcome) = outcomes.enumerated().first(where: { !$0.element.isValid }) {
            throw InferenceError.badRequest("Row \(row): \(outcome.issues.filter { $0.severity == .error }.map(\.message).joined(separator: " "))")
        }
        let requestID = AuditTrail.newRequestID()
        try await audit.record(outcomes, applicantIDs: [], bundle: bundle, channel: .oip, requestID: requestID, samples: samples)
        if let challenger = serving.challenger {
            shadow.submit(.applicants(.init(champion: bundle, challenger: challenger, channel: .oip, requestID: requestID), cells: cells, champion: outcomes))
        }
        return InferenceAnswer(
            modelName: bundle.name, modelVersion: bundle.version, id: call.id,
            outputs: outputs.tensors(outcomes, featureCount: bundle.model.featureCount), requestID: requestID)
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
