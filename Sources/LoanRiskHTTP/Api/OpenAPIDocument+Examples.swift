import Foundation
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// The document's example request bodies (the media types' `example`), built from each
/// model's own example values (`FeatureSpec.typicalValue`). The docs page shows them, puts them
/// in its try-it forms and in its curl lines, so all three say the same thing and come from
/// here; its tests send them and expect them to score.
extension OpenAPIDocument {
    /// The model the paths without a model name use.
    var defaultBundle: ModelBundle? { bundles.first { $0.name == defaultModel } }

    /// One applicant: every input of `bundle` at its typical value.
    func applicantExample(_ bundle: ModelBundle) -> [String: Any] {
        Dictionary(uniqueKeysWithValues: bundle.schema.features.map { ($0.name, Self.exampleValue($0)) })
    }

    /// The same applicant as Open Inference Protocol input tensors, one row each, with the
    /// datatype the model's metadata gives each input.
    func inferenceExample(_ bundle: ModelBundle) -> [String: Any] {
        let tensors = bundle.schema.features.map { spec -> [String: Any] in
            ["name": spec.name, "shape": [1], "datatype": spec.kind == .categorical ? "BYTES" : "FP64", "data": [Self.exampleValue(spec)]]
        }
        return ["inputs": tensors]
    }

    /// A feature's typical value as JSON: a number where the input is numeric and the value
    /// reads as one (the API takes numbers as strings too, but a client would send numbers).
    static func exampleValue(_ spec: FeatureSpec) -> Any {
        let text = spec.typicalValue
        guard spec.kind != .categorical else { return text }
        if let whole = Int(text) { return whole }
        if let number = Double(text), number.isFinite { return number }
        return text
    }

    /// A JSON media type: its schema and, when there is one, its example.
    func jsonContent(_ schema: [String: Any], example: [String: Any]?) -> [String: Any] {
        var content: [String: Any] = ["schema": schema]
        if let example { content["example"] = example }
        return content
    }
}
