import Foundation
import LoanRiskCore
import Scoring

/// The document's example request bodies (the media types' `example`), built from each
/// model's own example values (`FeatureSpec.typicalValue`). The docs page shows them, puts them
/// in its try-it forms and in its curl lines, so all three say the same thing and come from
/// here; its tests send them and expect them to score.
extension OpenAPIDocument {
    /// The model the paths without a model name use.
    var defaultBundle: ModelBundle? { bundles.first { $0.name == defaultModel } }

    /// One applicant: every input of `bundle` at its typical value.
    func applicantExample(_ bundle: ModelBundle) -> OpenAPI.Value {
        .object(Dictionary(uniqueKeysWithValues: bundle.schema.features.map { ($0.name, Self.exampleValue($0)) }))
    }

    /// The same applicant as Open Inference Protocol input tensors, one row each, with the
    /// datatype the model's metadata gives each input.
    func inferenceExample(_ bundle: ModelBundle) -> OpenAPI.Value {
        let tensors = bundle.schema.features.map { spec -> OpenAPI.Value in
            ["name": .string(spec.name), "shape": [1], "datatype": spec.kind == .categorical ? "BYTES" : "FP64", "data": [Self.exampleValue(spec)]]
        }
        return ["inputs": .array(tensors)]
    }

    /// A feature's typical value as JSON: a number where the input is numeric and the value
    /// reads as one (the API takes numbers as strings too, but a client would send numbers).
    static func exampleValue(_ spec: FeatureSpec) -> OpenAPI.Value {
        let text = spec.typicalValue
        guard spec.kind != .categorical else { return .string(text) }
        if let whole = Int(text) { return .integer(whole) }
        if let number = Double(text), number.isFinite { return .number(number) }
        return .string(text)
    }
}
