import Foundation
import HTTPTypes
import Hummingbird
import LoanRiskCore
import Scoring

/// The JSON API: the same scoring path as the pages, for other systems.
/// `POST /api/v1/predict` (default model) and `/api/v1/models/{name}/predict` take one applicant
/// object, `{"applicants": [...]}`, or a CSV body (answered with the results CSV). Every result
/// carries its principal reasons unless `?reasons=0`; `?contributions=true` adds the full
/// TreeSHAP vector (see `ExplainQuery`).
struct ApiController {
    let registry: ModelRegistry
    let decisions: DecisionService
    /// The largest body read (`MAX_UPLOAD_MB`).
    let maxUploadBytes: Int
    /// How slow a body may arrive, and where a large one is spooled.
    let connections: ConnectionSettings
    private let descriptions = ModelDescriptions()

    /// Routes relative to the `/api/v1` group, whose `ProblemDetailsMiddleware` answers errors.
    func addRoutes(to api: some RouterMethods<AppRequestContext>) {
        api.post("predict") { request, context in try await predict(request, serving: try serving(registry.defaultName), context: context) }
        api.post("models/:name/predict") { request, context in
            try await predict(request, serving: try serving(context.parameters.get("name") ?? ""), context: context)
        }
        api.get("models") { _, _ in Response.json(try descriptions.list(registry.all)) }
        api.get("models/:name") { _, context in Response.json(try descriptions.json(try bundle(context))) }
    }

    private func bundle(_ context: AppRequestContext) throws -> ModelBundle {
        try serving(context.parameters.get("name") ?? "").champion
    }

    /// The model's champion and challenger, taken once: the request is scored by exactly
    /// these, whatever is promoted while it runs.
    private func serving(_ name: String) throws -> ModelRegistry.Serving {
        guard let serving = registry.serving(named: name) else {
            throw ProblemDetails(status: .notFound, detail: "There is no model named '\(name)'. GET /api/v1/models lists them.")
        }
        return serving
    }

    private func predict(_ request: Request, serving: ModelRegistry.Serving, context: AppRequestContext) async throws -> Response {
        let bundle = serving.champion
        let asked = try ExplainQuery.options(request)
        // A model that cannot be explained is still scored; the answer says why nothing explains it.
        let canExplain = BatchScorer(bundle: bundle).canExplain
        let explain = canExplain ? asked : .none
        let note = canExplain || asked.isEmpty ? nil : ExplainQuery.unavailable
        let contentType = (request.headers.firstValue(.contentType) ?? "").lowercased()
        let body: ByteBuffer
        do {
            body = try await SpooledBody.collect(request, limit: maxUploadBytes, settings: connections)
        } catch is SpooledBody.TooLarge {
            throw ProblemDetails(status: .contentTooLarge, detail: "The body is larger than \(maxUploadBytes / 1_048_576) MB.", limit: maxUploadBytes)
        }
        if contentType.hasPrefix("text/csv") {
            let decided: DecisionService.DecidedFile
            do {
                decided = try await decisions.decideCSV(body, serving: serving, channel: .api, explain: explain, caller: context.principal?.caller)
            } catch {
                throw Self.problem(error)
            }
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8", .requestID: decided.requestID]
            if let note, let name = HTTPField.Name("Reasons-Unavailable") { headers[name] = note }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: decided.resultsCSV)))
        }
        guard contentType.hasPrefix("application/json") || contentType.isEmpty else {
            throw ProblemDetails(status: .unsupportedMediaType, detail: "Send application/json (one applicant or {\"applicants\": [...]}) or text/csv; got '\(contentType)'.")
        }
        let read: ApplicantsBody
        do {
            read = try ApplicantsBody.read(Array(body.readableBytesView), fieldsHint: bundle.schema.features.count + 1)
        } catch {
            switch error {
            case .syntax(let syntax):
                throw ProblemDetails(status: .badRequest, detail: "The body is not valid JSON: \(syntax.message) at byte \(syntax.offset).")
            case .applicantsNotAnArray:
                throw ProblemDetails(status: .badRequest, detail: "'applicants' must be an array of applicant objects.")
            case .notAnObject:
                throw ProblemDetails(status: .badRequest, detail: "Send one applicant object or {\"applicants\": [...]}.")
            }
        }
        guard read.applicants.count <= decisions.settings.applicantLimit else {
            throw Self.problem(.tooManyApplicants(limit: decisions.settings.applicantLimit, count: read.applicants.count))
        }
        let parsed = ApplicantJSON(schema: bundle.schema).parse(read.applicants)
        let decided: DecisionService.Decided
        do {
            decided = try await decisions.decide(
                .init(cells: parsed.cells, ids: parsed.ids, readProblems: parsed.problems), serving: serving, channel: .api, explain: explain, caller: context.principal?.caller)
        } catch {
            throw Self.problem(error)
        }
        let results = decided.outcomes.enumerated().map { index, outcome in
            PredictionResult(outcome: outcome, id: parsed.ids[index], unknownFields: parsed.unknownFields[index], bundle: bundle, explain: explain)
        }
        let perResult = 256 + 320 * explain.reasons + (explain.contributions ? 48 * bundle.model.featureCount : 0)
        var writer = JSONWriter(capacity: perResult * results.count)
        if read.single {
            results[0].write(to: &writer, note: note)
        } else {
            writer.raw(#"{"results":"#)
            writer.array(results) { json, result in result.write(to: &json) }
            if let note {
                writer.raw(#","reasons_unavailable":"#)
                writer.string(note)
            }
            writer.raw("}")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json", .requestID: decided.requestID],
            body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// A decision not given, as the API's problem+json answer.
    static func problem(_ error: DecisionError) -> ProblemDetails {
        switch error {
        case .tooManyApplicants(let limit, let count):
            return ProblemDetails(status: .contentTooLarge, detail: "At most \(limit) applicants per request; this one has \(count).", limit: limit)
        case .invalid(let problems):
            let errors = problems.map { ProblemDetails.FieldError(applicant: $0.applicant, field: $0.field, value: $0.value, message: $0.message) }
            return ProblemDetails(
                status: .unprocessableContent, detail: "\(errors.count) value\(errors.count == 1 ? "" : "s") could not be read; every problem is listed in 'errors'.",
                errors: errors)
        case .unreadableFile(let error):
            return ProblemDetails(status: .unprocessableContent, detail: error.message)
        case .notRecorded:
            return ProblemDetails(status: .serviceUnavailable, detail: DecisionError.notRecordedMessage)
        }
    }
}
