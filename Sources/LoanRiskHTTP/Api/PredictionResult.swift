import LoanRiskCore
import Scoring

/// One applicant's answer: probability, decision and score, the principal reasons behind the
/// risk when asked (the default), and the full contribution vector when asked.
struct PredictionResult {
    struct ModelReference {
        let name: String
        let version: String
    }

    let id: String?
    let probabilityOfDefault: Double
    let decision: String
    let score: Int
    /// nil: reasons were not asked for (or the model cannot give them); empty: none raised the risk.
    let reasons: [Reason]?
    /// Model feature names beside their contributions, then the expected value; nil when not asked.
    let contributions: (names: [String], values: [Double], expectedValue: Double)?
    let warnings: [String]
    let model: ModelReference

    /// `explain` is what was asked and can be given (nothing for a model that cannot be explained).
    init(outcome: RowOutcome, id: String?, unknownFields: [String], bundle: ModelBundle, explain: ExplainOptions) {
        self.id = id
        probabilityOfDefault = outcome.probability ?? .nan  // errors were answered with 422 before
        decision = outcome.decision?.rawValue ?? ""
        score = outcome.score ?? 0
        reasons = explain.reasons > 0 ? outcome.explanation?.reasons ?? [] : nil
        if explain.contributions, let explanation = outcome.explanation {
            contributions = (bundle.model.featureNames, explanation.contributions, explanation.expectedValue)
        } else {
            contributions = nil
        }
        warnings = bundle.warnings + outcome.issues.map(\.message) + unknownFields.map(bundle.ignoredFieldWarning)
        model = ModelReference(name: bundle.name, version: bundle.version)
    }

    /// Writes the result object; `note` (why reasons are missing) goes in as `reasons_unavailable`.
    func write(to json: inout JSONWriter, note: String? = nil) {
        json.raw("{")
        if let id {
            json.raw(#""id":"#)
            json.string(id)
            json.raw(",")
        }
        json.raw(#""probability_of_default":"#)
        json.number(probabilityOfDefault)
        json.raw(#","decision":"#)
        json.string(decision)
        json.raw(#","score":"#)
        json.number(score)
        if let reasons {
            json.raw(#","reasons":"#)
            json.array(reasons) { json, reason in reason.write(to: &json) }
        }
        if let contributions {
            json.raw(#","contributions":{"#)
            for (name, value) in zip(contributions.names, contributions.values) {
                json.string(name)
                json.raw(":")
                json.number(value)
                json.raw(",")
            }
            json.raw(#""expected_value":"#)
            json.number(contributions.expectedValue)
            json.raw("}")
        }
        json.raw(#","warnings":"#)
        json.strings(warnings)
        json.raw(#","model":{"name":"#)
        json.string(model.name)
        json.raw(#","version":"#)
        json.string(model.version)
        json.raw("}")
        if let note {
            json.raw(#","reasons_unavailable":"#)
            json.string(note)
        }
        json.raw("}")
    }
}

extension Reason {
    /// `{"feature","columns","phrase","value","kind","contribution","text"}`; `value` is null when missing.
    func write(to json: inout JSONWriter) {
        json.raw(#"{"feature":"#)
        json.string(feature)
        json.raw(#","columns":"#)
        json.strings(columns)
        json.raw(#","phrase":"#)
        json.string(phrase)
        json.raw(#","value":"#)
        if let value { json.string(value) } else { json.raw("null") }
        json.raw(#","kind":"#)
        json.string(kind.rawValue)
        json.raw(#","contribution":"#)
        json.number(contribution)
        json.raw(#","text":"#)
        json.string(text)
        json.raw("}")
    }
}
