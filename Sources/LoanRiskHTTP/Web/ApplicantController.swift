import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// The single-applicant form, generated from the model's schema, and its decision's page.
///
/// The form POSTs; the decision service decides the applicant (scored, audited, watched and
/// shadow-scored like any other channel's), the decision is stored, and the browser is sent
/// to `/applicants/{id}`: a reload shows the stored decision and writes nothing, and no
/// entered value ever appears in an address (browser history, proxy logs, Referer headers).
struct ApplicantController {
    let registry: ModelRegistry
    let views: Views
    let decisions: DecisionService
    let store: ApplicantDecisionStore
    /// The analyst's decision on a decision the policy referred (`ApplicantReviewController`).
    let reviews: ReviewStore

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        // The form; `from` fills it in with a stored decision's values, to edit and decide again.
        router.get("/applicants/new") { request, context in
            let query = request.uri.queryParameters
            if let id = query["from"].map(String.init) {
                let stored = try await decision(id, context: context)
                let bundle = try chosen(stored.modelName)
                return form(bundle: bundle, values: Self.entered(stored.cells, bundle: bundle), issues: [], context: context)
            }
            let bundle = try chosen(query["model"].map(String.init))
            return form(bundle: bundle, values: Self.entered([:], bundle: bundle), issues: [], context: context)
        }
        router.post("/applicants") { request, context in try await decide(request, context: context) }
        router.get("/applicants/:id") { request, context in
            let stored = try await decision(context.parameters.get("id") ?? "", context: context)
            context.recordAccess(.read, .applicantDecision, stored.id)
            return try await result(stored, whatIf: nil, request: request, context: context)
        }
        router.post("/applicants/:id/what-if") { request, context in
            let values = try await FormBody.read(request, context: context)
            try CSRF.check(values["csrf"], context: context)
            let stored = try await decision(context.parameters.get("id") ?? "", context: context)
            return try await result(stored, whatIf: (values["whatif"] ?? "", values["whatif_value"] ?? ""), request: request, context: context)
        }
        // Result addresses once carried every entered value in their query; they are not
        // decided again from there.
        router.get("/applicants/result") { _, _ -> Response in
            throw HTTPError(.gone, message: "Results no longer have addresses made of the applicant's values. Score the applicant again from the form; its result gets an address of its own.")
        }
    }

    /// The model's input columns from `values` (missing ones empty).
    private static func entered(_ values: [String: String], bundle: ModelBundle) -> [String: String] {
        Dictionary(uniqueKeysWithValues: bundle.schema.requiredColumns.map { ($0, values[$0] ?? "") })
    }

    private func chosen(_ name: String?) throws -> ModelBundle {
        try serving(name).champion
    }

    private func serving(_ name: String?) throws -> ModelRegistry.Serving {
        guard let name, !name.isEmpty else {
            guard let serving = registry.serving(named: registry.defaultName) else { throw HTTPError(.serviceUnavailable) }
            return serving
        }
        guard let serving = registry.serving(named: name) else { throw HTTPError(.notFound, message: "There is no model named ‘\(name)’.") }
        return serving
    }

    private func decision(_ id: String, context: AppRequestContext) async throws -> ApplicantDecision {
        guard BatchID.isWellFormed(id), let stored = try await store.find(id: id, team: context.team) else {
            throw HTTPError(.notFound, message: "There is no such decision: it was never made here, or it was deleted after the retention period.")
        }
        return stored
    }

    private func form(
        bundle: ModelBundle, values: [String: String], issues: [ApplicantProblem], context: AppRequestContext,
        status: HTTPResponse.Status = .ok, notice: String? = nil
    ) -> Response {
        let fields = bundle.schema.features.map { spec in
            let value = values[spec.name] ?? ""
            let messages = issues.filter { $0.field == spec.name }.map { FieldIssue.worded($0.message, about: spec) }
            let categorical = spec.kind == .categorical
            return ApplicantFormPage.Field(
                name: spec.name, label: spec.phrase ?? spec.name, description: spec.description ?? "", value: value,
                errors: messages, hasErrors: !messages.isEmpty, isCategorical: categorical, placeholder: "e.g. " + spec.typicalValue,
                unit: spec.unit.flatMap { $0.isEmpty ? nil : $0 },
                options: categorical
                    ? (spec.categories ?? []).map { label in
                        // The bundle's words alone ("36 months", not "36 months (term_36)"); the code is the value sent.
                        .init(value: label, text: spec.words(for: label), selected: label == value)
                    }
                    : nil,
                step: categorical ? nil : (spec.kind == .integer ? "1" : "any"),
                range: categorical ? nil : spec.minimum.flatMap { low in
                    spec.maximum.map { high in "Seen in training: \(spec.shown(low)) – \(spec.shown(high))" }
                })
        }
        // A problem of the applicant as a whole (too few inputs to score) has no field to sit beside.
        let inputs = Set(bundle.schema.requiredColumns)
        let general = issues.filter { !inputs.contains($0.field) }.map(\.message)
        return views.page(ApplicantFormPage(
            base: PageBase(context, title: "Score one applicant"), model: ModelSummary(bundle), fields: fields,
            hasErrors: issues.contains { inputs.contains($0.field) },
            notice: notice ?? (general.isEmpty ? nil : general.joined(separator: " ")), choices: registry.all.map { .init(name: $0.name, title: $0.title, selected: $0.name == bundle.name) }), status: status)
    }

    /// The form's POST: decides the applicant, stores the decision and sends the browser to
    /// its page (303). Values that cannot be read come back on the form, marked (422).
    private func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let values = try await FormBody.read(request, context: context)
        try CSRF.check(values["csrf"], context: context)
        let serving = try serving(values["model"])
        let bundle = serving.champion
        let entered = Self.entered(values, bundle: bundle)
        guard entered.values.contains(where: { !MissingValue.isMissing($0) }) else {
            // The decision service refuses it too (too few inputs); an empty form is answered
            // here in the form's own words, without a trip through it.
            return form(bundle: bundle, values: entered, issues: [], context: context, status: .unprocessableContent,
                        notice: "Fill in what you know about the applicant: every field is empty.")
        }
        // The applicant's id, when the analyst gives one: stored with the decision under the
        // model's id column (what an erasure or access export by applicant id finds) and in its audit record.
        let applicantID = values["applicant_id"].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)) }.flatMap { $0.isEmpty ? nil : $0 }
        let decided: DecisionService.Decided
        do {
            decided = try await decisions.decide(.init(cells: [entered], ids: [applicantID]), serving: serving, channel: .form, explain: Self.explained, caller: context.principal?.caller)
        } catch {
            switch error {
            case .invalid(let problems):
                return form(bundle: bundle, values: entered, issues: problems, context: context, status: .unprocessableContent)
            case .notRecorded:
                throw HTTPError(.serviceUnavailable, message: DecisionError.notRecordedMessage)
            case .tooManyApplicants, .unreadableFile:
                throw HTTPError(.unprocessableContent, message: "The applicant could not be decided.")
            }
        }
        guard let outcome = decided.outcomes.first, let probability = outcome.probability, let decision = outcome.decision else {
            throw HTTPError(.internalServerError)
        }
        var stored = ApplicantDecision(
            id: BatchID.make(), createdAt: Date(), requestID: decided.requestID, modelName: bundle.name, modelVersion: bundle.version,
            cells: entered.filter { !$0.value.isEmpty }.merging(applicantID.map { [bundle.schema.idColumn ?? "applicant_id": $0] } ?? [:]) { kept, _ in kept }, probability: probability, decision: decision.rawValue, score: outcome.score)
        stored.teamID = context.team
        try await store.save(stored)
        context.recordAccess(.decide, .applicantDecision, stored.id)
        return .redirect(to: "/applicants/\(stored.id)", type: .normal)
    }

    /// What the form's decisions explain: the usual reasons and every contribution, for the chart.
    private static let explained = ExplainOptions(reasons: ExplainOptions.defaultReasonCount, contributions: true)

    /// A stored decision's page: decision, distance to the cut-offs, reasons, the values used,
    /// links to edit and decide again, and the what-if when one input is moved. Nothing is
    /// recorded: the decision was recorded when it was made; the reasons are computed again
    /// from the stored values with the same model version (the same numbers, to the bit).
    private func result(
        _ stored: ApplicantDecision, whatIf: (input: String, value: String)?, request: Request, context: AppRequestContext
    ) async throws -> Response {
        let base = PageBase(context, title: "Result")
        // A referred applicant takes the analyst's decision here, as a batch's row does.
        let review = stored.decision == Decision.review.rawValue
            ? try await ReviewFormView.make(
                action: "/applicants/\(stored.id)/review", request: request,
                decided: try await reviews.decision(channel: .form, requestID: stored.id, rowNumber: 1), reviews: reviews, team: context.team)
            : nil
        let probability = Formatting.percent(stored.probability)
        let score = stored.score.map(String.init) ?? ""
        let edit = "/applicants/new?from=\(stored.id)"
        let again = "/applicants/new" + Formatting.query([("model", stored.modelName)])
        let permalink = "/applicants/\(stored.id)"
        let decided = Formatting.timestamp(stored.createdAt)
        guard let bundle = await registry.bundle(named: stored.modelName, version: stored.modelVersion) else {
            return views.page(ApplicantResultPage(
                base: base, model: .init(name: stored.modelName, title: stored.modelName, version: stored.modelVersion), review: review, probability: probability,
                decision: stored.decision, score: score, decided: decided, edit: edit, again: again, permalink: permalink, cutoff: nil,
                warnings: [], used: [], explanation: nil,
                reasonsNote: "Version \(stored.modelVersion) of \(stored.modelName) is no longer in the registry, so the reasons behind this decision cannot be shown here; its audit record keeps them.",
                whatIf: nil))
        }
        let entered = Self.entered(stored.cells, bundle: bundle)
        let scorer = BatchScorer(bundle: bundle)
        let outcome = scorer.score(applicants: [entered], explain: scorer.canExplain ? Self.explained : .none).first
        let explanation = outcome.flatMap { outcome in
            outcome.explanation.map { explanation in
                ExplanationView(
                    explanation: explanation, features: Self.features(entered, scorer: scorer), issues: outcome.issues,
                    probability: stored.probability, scorer: scorer)
            }
        }
        return views.page(ApplicantResultPage(
            base: base, model: .init(name: bundle.name, title: bundle.title, version: bundle.version), review: review, probability: probability,
            decision: stored.decision, score: score, decided: decided, edit: edit, again: again, permalink: permalink,
            cutoff: CutoffDistance(probability: stored.probability, policy: bundle.policy).sentence,
            // Worded for a person: the input's phrase, its column once, values in its unit.
            warnings: bundle.warnings + (outcome?.issues ?? []).map { $0.message(in: bundle.schema) },
            // In the bundle's units and words, as the reasons and the contributions table write them.
            used: bundle.schema.features.map { spec in .init(label: spec.phrase ?? spec.name, value: Self.shown(entered[spec.name], spec)) },
            explanation: explanation,
            reasonsNote: explanation == nil && !scorer.canExplain ? StoredRowExplainer.Unavailable.linearTrees.message : nil,
            whatIf: self.whatIf(stored, bundle: bundle, scorer: scorer, entered: entered, decision: Decision(rawValue: stored.decision), moved: whatIf)))
    }

    /// The what-if panel: the inputs to choose from and, when one is moved, the probability and
    /// decision it gives. A what-if decides nothing: it is neither stored nor audited.
    private func whatIf(
        _ stored: ApplicantDecision, bundle: ModelBundle, scorer: BatchScorer, entered: [String: String], decision: Decision?,
        moved: (input: String, value: String)?
    ) -> ApplicantResultPage.WhatIf {
        let chosen = moved.flatMap { moved in bundle.schema.features.first { $0.name == moved.input } }
        let action = "/applicants/\(stored.id)/what-if"
        let inputs = bundle.schema.features.map { spec in
            ApplicantResultPage.WhatIf.Input(name: spec.name, label: spec.phrase ?? spec.name, selected: spec.name == chosen?.name)
        }
        let value = moved?.value ?? ""
        guard let spec = chosen, let newValue = moved?.value else {
            return .init(action: action, inputs: inputs, value: value, problem: nil, outcome: nil)
        }
        var changed = entered
        changed[spec.name] = newValue
        let other = scorer.score(applicants: [changed]).first
        guard let other, other.isValid, let q = other.probability else {
            let problems = other?.issues.filter { $0.column == spec.name }.map { $0.message(for: spec) } ?? []
            return .init(action: action, inputs: inputs, value: value, problem: problems.first ?? "That value could not be read.", outcome: nil)
        }
        return .init(action: action, inputs: inputs, value: value, problem: nil, outcome: .init(
            label: spec.phrase ?? spec.name, was: Self.shown(entered[spec.name], spec), now: Self.shown(newValue, spec),
            probability: Formatting.percent(q), baseline: Formatting.percent(stored.probability),
            change: Formatting.points(q - stored.probability),
            decision: other.decision?.rawValue ?? "", decisionChanged: other.decision != decision,
            previousDecision: decision?.rawValue ?? ""))
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
