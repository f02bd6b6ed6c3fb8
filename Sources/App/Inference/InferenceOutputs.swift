import Scoring

/// The outputs of an Open Inference Protocol `infer` request. Without an `outputs` list the
/// answer is `probability_of_default` (FP64 [rows]) and `decision` (BYTES [rows]), as before
/// reasons existed; a client that lists outputs gets those, in its order, and may ask for
/// `contributions` (FP64 [rows, features + 1]: each model feature's TreeSHAP contribution in
/// model order, then the expected value, as LightGBM's `pred_contrib`) and `reasons` (BYTES
/// [rows, N]: each row's principal reasons as sentences, "" past the last; N is the output's
/// `parameters.count`, 1–10, default 4).
struct InferenceOutputs {
    enum Name: String, CaseIterable {
        case probabilityOfDefault = "probability_of_default"
        case decision
        case contributions
        case reasons

        /// Outputs that need the model's contributions.
        var explains: Bool { self == .contributions || self == .reasons }
    }


    /// The outputs to answer, in the order asked, each once.
    private(set) var names: [Name] = [.probabilityOfDefault, .decision]
    /// Columns of the `reasons` output.
    private(set) var reasonCount = ExplainOptions.defaultReasonCount

    /// What the scorer must compute for these outputs.
    var explain: ExplainOptions {
        ExplainOptions(reasons: names.contains(.reasons) ? reasonCount : 0, contributions: names.contains(.contributions))
    }

    /// Reads the request's `outputs` (absent or empty: the defaults). An unknown output, or an
    /// explanation asked of a model that cannot give one, is a 400 saying so.
    init(_ outputs: JSONValue?, bundle: ModelBundle, canExplain: Bool) throws(InferenceError) {
        guard case .array(let list)? = outputs, !list.isEmpty else { return }
        names = []
        for output in list {
            guard case .object(let object) = output, case .string(let text)? = object["name"] else {
                throw InferenceError(status: .badRequest, message: "Every requested output needs a 'name'.")
            }
            guard let name = Name(rawValue: text) else {
                let known = Name.allCases.map(\.rawValue).joined(separator: ", ")
                throw InferenceError(status: .badRequest, message: "'\(text)' is not an output of \(bundle.name); the outputs are \(known).")
            }
            if name.explains, !canExplain {
                throw InferenceError(status: .badRequest, message: "'\(text)' is not available for \(bundle.name): \(ExplainQuery.unavailable)")
            }
            if name == .reasons, case .object(let parameters)? = object["parameters"], let count = parameters["count"] {
                guard case .number(let number) = count, let value = Int(number), (1...ExplainQuery.maximumReasons).contains(value) else {
                    throw InferenceError(status: .badRequest, message: "The 'reasons' output's parameter 'count' must be a whole number from 1 to \(ExplainQuery.maximumReasons).")
                }
                reasonCount = value
            }
            if !names.contains(name) { names.append(name) }
        }
    }

    /// The output tensors for `outcomes` (every row valid: invalid rows were answered with 400).
    func tensors(_ outcomes: [RowOutcome], featureCount: Int) -> [JSONValueEncodable] {
        names.map { name in
            switch name {
            case .probabilityOfDefault:
                return Self.tensor(name, "FP64", [outcomes.count], outcomes.map { .double($0.probability ?? .nan) })
            case .decision:
                return Self.tensor(name, "BYTES", [outcomes.count], outcomes.map { .string($0.decision?.rawValue ?? "") })
            case .contributions:
                var data: [JSONValueEncodable] = []
                data.reserveCapacity(outcomes.count * (featureCount + 1))
                for outcome in outcomes {
                    let explanation = outcome.explanation
                    let values = explanation?.contributions ?? []
                    for i in 0..<featureCount { data.append(.double(i < values.count ? values[i] : .nan)) }
                    data.append(.double(explanation?.expectedValue ?? .nan))
                }
                return Self.tensor(name, "FP64", [outcomes.count, featureCount + 1], data)
            case .reasons:
                var data: [JSONValueEncodable] = []
                data.reserveCapacity(outcomes.count * reasonCount)
                for outcome in outcomes {
                    let reasons = outcome.explanation?.reasons ?? []
                    for i in 0..<reasonCount { data.append(.string(i < reasons.count ? reasons[i].text : "")) }
                }
                return Self.tensor(name, "BYTES", [outcomes.count, reasonCount], data)
            }
        }
    }

    /// The outputs model metadata lists: the defaults, and the explanations when the model has them.
    static func metadata(featureCount: Int, canExplain: Bool) -> [InferenceProtocolController.Metadata.Tensor] {
        var tensors: [InferenceProtocolController.Metadata.Tensor] = [
            .init(name: Name.probabilityOfDefault.rawValue, datatype: "FP64", shape: [-1]),
            .init(name: Name.decision.rawValue, datatype: "BYTES", shape: [-1]),
        ]
        if canExplain {
            tensors.append(.init(name: Name.contributions.rawValue, datatype: "FP64", shape: [-1, featureCount + 1]))
            tensors.append(.init(name: Name.reasons.rawValue, datatype: "BYTES", shape: [-1, -1]))
        }
        return tensors
    }

    private static func tensor(_ name: Name, _ datatype: String, _ shape: [Int], _ data: [JSONValueEncodable]) -> JSONValueEncodable {
        .object(["name": .string(name.rawValue), "datatype": .string(datatype), "shape": .array(shape.map { .int($0) }), "data": .array(data)])
    }
}
