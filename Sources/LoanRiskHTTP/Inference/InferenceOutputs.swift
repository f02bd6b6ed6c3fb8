import LoanRiskCore
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

    /// Reads the outputs asked for (none: the defaults). An unknown output, or an explanation
    /// asked of a model that cannot give one, is a 400 saying so.
    init(_ requested: [RequestedOutput], bundle: ModelBundle, canExplain: Bool) throws(InferenceError) {
        guard !requested.isEmpty else { return }
        names = []
        for output in requested {
            guard let name = Name(rawValue: output.name) else {
                let known = Name.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRequest("'\(output.name)' is not an output of \(bundle.name); the outputs are \(known).")
            }
            if name.explains, !canExplain {
                throw .badRequest("'\(output.name)' is not available for \(bundle.name): \(ExplainQuery.unavailable)")
            }
            if name == .reasons, let count = output.parameters["count"] {
                guard case .number(let number) = count, let value = Int(exactly: number), (1...ExplainQuery.maximumReasons).contains(value) else {
                    throw .badRequest("The 'reasons' output's parameter 'count' must be a whole number from 1 to \(ExplainQuery.maximumReasons).")
                }
                reasonCount = value
            }
            if !names.contains(name) { names.append(name) }
        }
    }

    /// The output tensors for `outcomes` (every row valid: invalid rows were answered with 400).
    func tensors(_ outcomes: [RowOutcome], featureCount: Int) -> [OutputTensor] {
        names.map { name in
            switch name {
            case .probabilityOfDefault:
                return OutputTensor(name: name.rawValue, shape: [outcomes.count], data: .fp64(outcomes.map { $0.probability ?? .nan }))
            case .decision:
                return OutputTensor(name: name.rawValue, shape: [outcomes.count], data: .bytes(outcomes.map { $0.decision?.rawValue ?? "" }))
            case .contributions:
                var data: [Double] = []
                data.reserveCapacity(outcomes.count * (featureCount + 1))
                for outcome in outcomes {
                    let explanation = outcome.explanation
                    let values = explanation?.contributions ?? []
                    for i in 0..<featureCount { data.append(i < values.count ? values[i] : .nan) }
                    data.append(explanation?.expectedValue ?? .nan)
                }
                return OutputTensor(name: name.rawValue, shape: [outcomes.count, featureCount + 1], data: .fp64(data))
            case .reasons:
                var data: [String] = []
                data.reserveCapacity(outcomes.count * reasonCount)
                for outcome in outcomes {
                    let reasons = outcome.explanation?.reasons ?? []
                    for i in 0..<reasonCount { data.append(i < reasons.count ? reasons[i].text : "") }
                }
                return OutputTensor(name: name.rawValue, shape: [outcomes.count, reasonCount], data: .bytes(data))
            }
        }
    }

    /// The outputs model metadata lists: the defaults, and the explanations when the model has them.
    static func metadata(featureCount: Int, canExplain: Bool) -> [ModelMetadata.Tensor] {
        var tensors: [ModelMetadata.Tensor] = [
            .init(name: Name.probabilityOfDefault.rawValue, datatype: "FP64", shape: [-1]),
            .init(name: Name.decision.rawValue, datatype: "BYTES", shape: [-1]),
        ]
        if canExplain {
            tensors.append(.init(name: Name.contributions.rawValue, datatype: "FP64", shape: [-1, featureCount + 1]))
            tensors.append(.init(name: Name.reasons.rawValue, datatype: "BYTES", shape: [-1, -1]))
        }
        return tensors
    }
}
