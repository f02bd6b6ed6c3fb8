import Foundation
import Hummingbird
import Scoring

/// The single-applicant form, generated from the model's schema, and its result page.
struct ApplicantController {
    let registry: ModelRegistry
    let views: Views
    let audit: AuditTrail

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        // The form, filled in from the query when it comes back to be edited.
        router.get("/applicants/new") { request, context in
            let bundle = try chosen(request.uri.queryParameters["model"].map(String.init))
            return form(bundle: bundle, values: Self.entered(request.queryValues, bundle: bundle), issues: [], context: context)
        }
        // The result at a URL of its own: the inputs are in the query, so it can be bookmarked,
        // shared, reloaded and come back to; `whatif`/`whatif_value` move one input.
        router.get("/applicants/result") { request, context in
            let query = request.queryValues
            let bundle = try chosen(query["model"])
            return try await result(bundle: bundle, entered: Self.entered(query, bundle: bundle), query: query, context: context)
        }
        router.post("/applicants") { request, context in try await score(request, context: context) }
    }

    /// The model's input columns from `values` (missing ones empty).
    private static func entered(_ values: [String: String], bundle: ModelBundle) -> [String: String] {
        Dictionary(uniqueKeysWithValues: bundle.schema.requiredColumns.map { ($0, values[$0] ?? "") })
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
        page["choices"] = registry.all.map { ["name": $0.name, "title": $0.title, "selected": $0.name == bundle.name] }
        return views.page("applicant", page, status: status)
    }

    /// The form's POST (kept for clients that post it): the same result as the GET URL.
    private func score(_ request: Request, context: AppRequestContext) async throws -> Response {
        let values = try await FormBody.read(request, context: context)
        try CSRF.check(values["csrf"], context: context)
        let bundle = try chosen(values["model"])
        return try await result(bundle: bundle, entered: Self.entered(values, bundle: bundle), query: [:], context: context)
    }

    /// Scores `entered`, records it in the audit log, and shows the result: decision, distance
    /// to the cut-offs, reasons, the values used, links to edit and to bookmark, and the
    /// what-if of `query` when it moves one input.
    private func result(bundle: ModelBundle, entered: [String: String], query: [String: String], context: AppRequestContext) async throws -> Response {
        guard entered.values.contains(where: { !MissingValue.isMissing($0) }) else {
            // An all-missing applicant would still get a probability; that is never what was meant.
            return form(bundle: bundle, values: entered, issues: [], context: context, status: .unprocessableContent,
                        notice: "Fill in what you know about the applicant: every field is empty.")
        }
        let scorer = BatchScorer(bundle: bundle)
        let canExplain = scorer.canExplain
        let options = canExplain ? ExplainOptions(reasons: ExplainOptions.defaultReasonCount, contributions: true) : .none
        let scored = scorer.scoreSampling(applicants: [entered], explain: options)
        guard let outcome = scored.outcomes.first else {
            throw HTTPError(.internalServerError)
        }
        guard outcome.isValid, let p = outcome.probability else {
            return form(bundle: bundle, values: entered, issues: outcome.issues, context: context, status: .unprocessableContent)
        }
        try await audit.record(
            [outcome], applicantIDs: [], bundle: bundle, channel: .form, requestID: AuditTrail.newRequestID(), samples: scored.samples)
        var page = PageContext(registry: registry).base(context, title: "Result")
        page["model"] = PageContext.model(bundle)
        page["probability"] = Formatting.percent(p)
        page["decision"] = outcome.decision?.rawValue ?? ""
        page["score"] = outcome.score.map(String.init) ?? ""
        page["cutoff"] = CutoffDistance(probability: p, policy: bundle.policy).sentence
        // Worded for a person: the input's phrase, its column once, values in its unit.
        page["warnings"] = bundle.warnings + outcome.issues.map { $0.message(in: bundle.schema) }
        // In the bundle's units and words, as the reasons and the contributions table write them.
        page["used"] = bundle.schema.features.map { spec -> [String: Any] in
            ["label": spec.phrase ?? spec.name, "value": Self.shown(entered[spec.name], spec)]
        }
        if let explanation = outcome.explanation {
            page["explanation"] = ExplanationView.values(
                explanation: explanation, features: Self.features(entered, scorer: scorer), issues: outcome.issues, probability: p, scorer: scorer)
        } else if !canExplain {
            page["reasonsNote"] = StoredRowExplainer.Unavailable.linearTrees.message
        }
        let inputs = bundle.schema.requiredColumns.map { ($0, entered[$0] ?? "") }.filter { !MissingValue.isMissing($0.1) }
        page["permalink"] = "/applicants/result" + Formatting.query([("model", bundle.name)] + inputs)
        page["edit"] = "/applicants/new" + Formatting.query([("model", bundle.name)] + inputs)
        page["again"] = "/applicants/new" + Formatting.query([("model", bundle.name)])
        page["whatIf"] = whatIf(bundle: bundle, scorer: scorer, entered: entered, baseline: p, decision: outcome.decision, query: query)
        return views.page("applicant_result", page)
    }

    /// The what-if panel: the inputs to choose from, the current values (hidden, so the panel's
    /// GET keeps them), and, when the query moves one input, the probability and decision it gives.
    private func whatIf(
        bundle: ModelBundle, scorer: BatchScorer, entered: [String: String], baseline: Double, decision: Decision?, query: [String: String]
    ) -> [String: Any] {
        let chosen = query["whatif"].flatMap { name in bundle.schema.features.first { $0.name == name } }
        var values: [String: Any] = [
            "model": bundle.name,
            "hidden": bundle.schema.requiredColumns.map { ["name": $0, "value": entered[$0] ?? ""] },
            "inputs": bundle.schema.features.map { spec in ["name": spec.name, "label": spec.phrase ?? spec.name, "selected": spec.name == chosen?.name] },
            "value": query["whatif_value"] ?? "",
        ]
        guard let spec = chosen, let newValue = query["whatif_value"] else { return values }
        var moved = entered
        moved[spec.name] = newValue
        guard let other = scorer.score(applicants: [moved]).first, other.isValid, let q = other.probability else {
            let problems = scorer.score(applicants: [moved]).first?.issues.filter { $0.column == spec.name }.map { $0.message(for: spec) } ?? []
            values["problem"] = problems.first ?? "That value could not be read."
            return values
        }
        values["outcome"] = [
            "label": spec.phrase ?? spec.name, "was": Self.shown(entered[spec.name], spec), "now": Self.shown(newValue, spec),
            "probability": Formatting.percent(q), "baseline": Formatting.percent(baseline),
            "change": String(format: "%+.2f points", (q - baseline) * 100),
            "decision": other.decision?.rawValue ?? "", "decisionChanged": other.decision != decision,
            "previousDecision": decision?.rawValue ?? "",
        ]
        return values
    }

    /// An entered value as the page shows it: "not given" when missing, else in the input's
    /// unit or words (`FeatureSpec.shown(cell:)`).
    private static func shown(_ value: String?, _ spec: FeatureSpec) -> String {
        guard let value, !MissingValue.isMissing(value) else { return "not given" }
        return spec.shown(cell: value)
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
