import Foundation
import Hummingbird
import Scoring

/// The single-applicant form, generated from the model's schema, and its result page.
struct ApplicantController {
    let registry: ModelRegistry
    let views: Views
    let audit: AuditTrail

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/applicants/new") { request, context in
            form(bundle: try chosen(request.uri.queryParameters["model"].map(String.init)), values: [:], issues: [], context: context)
        }
        router.post("/applicants") { request, context in try await score(request, context: context) }
    }

    private func chosen(_ name: String?) throws -> ModelBundle {
        guard let name, !name.isEmpty else { return registry.defaultBundle }
        guard let bundle = registry.bundle(named: name) else { throw HTTPError(.notFound, message: "There is no model named ‘\(name)’.") }
        return bundle
    }

    private func form(
        bundle: ModelBundle, values: [String: String], issues: [FieldIssue], context: AppRequestContext,
        status: HTTPResponse.Status = .ok, notice: String? = nil
    ) -> Response {
        var page = PageContext(registry: registry).base(context, title: "Score one applicant")
        page["model"] = PageContext.model(bundle)
        page["fields"] = bundle.schema.features.map { spec -> [String: Any] in
            let value = values[spec.name] ?? ""
            let messages = issues.filter { $0.column == spec.name }.map(\.message)
            var field: [String: Any] = [
                "name": spec.name, "label": spec.phrase ?? spec.name, "description": spec.description ?? "",
                "value": value, "errors": messages, "hasErrors": !messages.isEmpty,
                "isCategorical": spec.kind == .categorical,
                "placeholder": "e.g. " + spec.typicalValue,
            ]
            if let unit = spec.unit, !unit.isEmpty { field["unit"] = unit }
            if spec.kind == .categorical {
                field["options"] = (spec.categories ?? []).map { label -> [String: Any] in
                    let words = spec.words(for: label)
                    return ["value": label, "text": words == label ? label : "\(words) (\(label))", "selected": label == value]
                }
            } else {
                field["step"] = spec.kind == .integer ? "1" : "any"
                if let low = spec.minimum, let high = spec.maximum {
                    field["range"] = "Seen in training: \(Formatting.number(low)) – \(Formatting.number(high))"
                }
            }
            return field
        }
        page["hasErrors"] = issues.contains { $0.severity == .error }
        page["notice"] = notice
        return views.page("applicant", page, status: status)
    }

    private func score(_ request: Request, context: AppRequestContext) async throws -> Response {
        let values = try await FormBody.read(request, context: context)
        try CSRF.check(values["csrf"], context: context)
        let bundle = try chosen(values["model"])
        let entered = Dictionary(uniqueKeysWithValues: bundle.schema.requiredColumns.map { ($0, values[$0] ?? "") })
        guard entered.values.contains(where: { !MissingValue.isMissing($0) }) else {
            // An all-missing applicant would still get a probability; that is never what was meant.
            return form(bundle: bundle, values: entered, issues: [], context: context, status: .unprocessableContent,
                        notice: "Fill in what you know about the applicant: every field is empty.")
        }
        let scorer = BatchScorer(bundle: bundle)
        let canExplain = scorer.canExplain
        let options = canExplain ? ExplainOptions(reasons: ExplainOptions.defaultReasonCount, contributions: true) : .none
        guard let outcome = scorer.score(applicants: [entered], explain: options).first else {
            throw HTTPError(.internalServerError)
        }
        guard outcome.isValid, let p = outcome.probability else {
            return form(bundle: bundle, values: entered, issues: outcome.issues, context: context, status: .unprocessableContent)
        }
        try await audit.record(
            [outcome], applicantIDs: [], bundle: bundle, channel: .form, requestID: AuditTrail.newRequestID(), samples: .applicants([entered], [outcome]))
        var page = PageContext(registry: registry).base(context, title: "Result")
        page["model"] = PageContext.model(bundle)
        page["probability"] = Formatting.percent(p)
        page["decision"] = outcome.decision?.rawValue ?? ""
        page["score"] = outcome.score.map(String.init) ?? ""
        page["warnings"] = bundle.warnings + outcome.issues.map(\.message)
        page["used"] = bundle.schema.features.map { spec -> [String: Any] in
            let value = entered[spec.name].flatMap { MissingValue.isMissing($0) ? nil : $0 }
            var row: [String: Any] = ["label": spec.phrase ?? spec.name, "value": value ?? "not given"]
            if value != nil, let unit = spec.unit, !unit.isEmpty { row["unit"] = unit }
            return row
        }
        if let explanation = outcome.explanation {
            page["explanation"] = ExplanationView.values(
                explanation: explanation, features: Self.features(entered, scorer: scorer), issues: outcome.issues, probability: p, scorer: scorer)
        } else if !canExplain {
            page["reasonsNote"] = StoredRowExplainer.Unavailable.linearTrees.message
        }
        page["again"] = "/applicants/new" + Formatting.query([("model", bundle.name)])
        return views.page("applicant_result", page)
    }

    /// The applicant's model feature values, read as `BatchScorer.score(applicants:)` reads
    /// them, for the labels of the contributions chart.
    private static func features(_ entered: [String: String], scorer: BatchScorer) -> [Double] {
        let names = scorer.schema.requiredColumns
        let (matrix, _) = scorer.encode(rowCount: 1) { _, feature, body in
            var text = entered[names[feature]] ?? ""
            text.withUTF8(body)
        }
        return Array(matrix.row(0))
    }
}
