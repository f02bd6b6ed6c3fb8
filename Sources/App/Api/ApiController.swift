import Foundation
import HTTPTypes
import Hummingbird
import Scoring

/// The JSON API: the same scoring path as the pages, for other systems.
/// `POST /api/v1/predict` (default model) and `/api/v1/models/{name}/predict` take one applicant
/// object, `{"applicants": [...]}`, or a CSV body (answered with the results CSV). Every result
/// carries its principal reasons unless `?reasons=0`; `?contributions=true` adds the full
/// TreeSHAP vector (see `ExplainQuery`).
struct ApiController {
    let registry: ModelRegistry
    let configuration: AppConfiguration
    let audit: AuditTrail
    let shadow: ShadowScorer
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
        let scorer = BatchScorer(bundle: bundle)
        // A model that cannot be explained is still scored; the answer says why nothing explains it.
        let explain = scorer.canExplain ? asked : .none
        let note = scorer.canExplain || asked.isEmpty ? nil : ExplainQuery.unavailable
        let contentType = (request.headers.firstValue(.contentType) ?? "").lowercased()
        let body: ByteBuffer
        do {
            body = try await SpooledBody.collect(request, limit: configuration.maxUploadBytes, settings: configuration.connections)
        } catch is SpooledBody.TooLarge {
            throw ProblemDetails(status: .contentTooLarge, detail: "The body is larger than \(configuration.maxUploadMB) MB.", limit: configuration.maxUploadBytes)
        }
        let requestID = AuditTrail.newRequestID()
        if contentType.hasPrefix("text/csv") {
            let response = try await predictCSV(body, scorer: scorer, explain: explain, note: note, requestID: requestID)
            if let challenger = serving.challenger {
                shadow.submit(.csv(.init(champion: bundle, challenger: challenger, channel: .api, requestID: requestID), body: body, champion: response.outcomes))
            }
            return response.answer
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
        let applicants = read.applicants
        guard applicants.count <= configuration.apiBatchLimit else {
            throw ProblemDetails(status: .contentTooLarge, detail: "At most \(configuration.apiBatchLimit) applicants per request; this one has \(applicants.count).",
                                 limit: configuration.apiBatchLimit)
        }
        let parsed = ApplicantJSON(schema: bundle.schema).parse(applicants)
        let (outcomes, samples) = scorer.scoreSampling(applicants: parsed.cells, explain: explain, threads: configuration.threads)
        var errors = parsed.errors
        for (index, outcome) in outcomes.enumerated() {
            for issue in outcome.issues where issue.severity == .error {
                errors.append(.init(applicant: index, field: issue.column, value: issue.value, message: issue.message))
            }
        }
        errors.sort { $0.applicant < $1.applicant }
        guard errors.isEmpty else {
            throw ProblemDetails(status: .unprocessableContent, detail: "\(errors.count) value\(errors.count == 1 ? "" : "s") could not be read; every problem is listed in 'errors'.", errors: errors)
        }
        try await audit.record(
            outcomes, applicantIDs: parsed.ids, bundle: bundle, channel: .api, requestID: requestID, samples: samples)
        if let challenger = serving.challenger {
            shadow.submit(.applicants(.init(champion: bundle, challenger: challenger, channel: .api, requestID: requestID), cells: parsed.cells, champion: outcomes))
        }
        let results = outcomes.enumerated().map { index, outcome in
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
            status: .ok, headers: [.contentType: "application/json", AuditTrail.requestIDHeader: requestID],
            body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// A CSV body: the results CSV, as the web download and `loanrisk score` write it, with
    /// `reason_1` … `reason_N` (each reason's sentence) when reasons are on and, with
    /// `?contributions=true`, `contribution_<feature>` … `contribution_expected_value` (the
    /// columns `loanrisk score --contributions` writes). For a model that cannot be explained
    /// those columns are left out and the `Reasons-Unavailable` header says why.
    private func predictCSV(
        _ body: ByteBuffer, scorer: BatchScorer, explain: ExplainOptions, note: String?, requestID: String
    ) async throws -> (answer: Response, outcomes: [RowOutcome]) {
        let reader = body.withUnsafeReadableBytes { CSVReader(bytes: $0) }
        let featureCount = scorer.model.featureCount
        let version = scorer.bundle.version
        var bytes: [UInt8] = []
        var outcomes: [RowOutcome] = []
        var ids: [String?] = []
        var recent = RecentRows(limit: configuration.monitorWindowApplicants)
        var samples: [DriftSample] = []
        do {
            let header = try reader.readHeader()
            let mapping = try ColumnMapping(header: header, schema: scorer.schema)
            let idColumn = mapping.idColumn
            CSVEncoder.appendRecord(ResultsCSV.header(inputHeader: header, explain: explain, featureNames: scorer.model.featureNames), to: &bytes)
            try ChunkedScoring(scorer: scorer, threads: configuration.threads, explain: explain).run(
                reader: reader, mapping: mapping,
                transform: { run in
                    var part: [UInt8] = []
                    for (record, outcome) in zip(run.records, run.outcomes) {
                        ResultsCSV.appendRow(record: record, outcome: outcome, modelVersion: version, explain: explain, featureCount: featureCount, to: &part)
                    }
                    return (part, run.outcomes, run.records.map { record in idColumn.map { record[$0] } }, run.records)
                },
                consume: { part in
                    bytes += part.0
                    outcomes += part.1
                    ids += part.2
                    recent.append(records: part.3, outcomes: part.1)
                })
            samples = recent.samples(scorer: scorer, mapping: mapping)
        } catch let error as CSVError {
            throw ProblemDetails(status: .unprocessableContent, detail: error.message)
        } catch let error as InputFileError {
            throw ProblemDetails(status: .unprocessableContent, detail: error.message)
        }
        try await audit.record(outcomes, applicantIDs: ids, bundle: scorer.bundle, channel: .api, requestID: requestID, samples: samples)
        var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8", AuditTrail.requestIDHeader: requestID]
        if let note, let name = HTTPField.Name("Reasons-Unavailable") { headers[name] = note }
        return (Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes))), outcomes)
    }
}
