import Foundation
import Hummingbird
import Scoring

/// The JSON API: the same scoring path as the pages, for other systems.
/// `POST /api/v1/predict` (default model) and `/api/v1/models/{name}/predict` take one applicant
/// object, `{"applicants": [...]}`, or a CSV body (answered with the results CSV).
struct ApiController {
    let registry: ModelRegistry
    let configuration: AppConfiguration

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("/api/v1/predict") { request, context in try await predict(request, bundle: registry.defaultBundle, context: context) }
        router.post("/api/v1/models/:name/predict") { request, context in try await predict(request, bundle: try bundle(context), context: context) }
        router.get("/api/v1/models") { _, _ in try jsonResponse(["models": registry.all.map(ModelDescription.init)]) }
        router.get("/api/v1/models/:name") { _, context in try jsonResponse(ModelDescription(try bundle(context))) }
    }

    private func bundle(_ context: AppRequestContext) throws -> ModelBundle {
        let name = context.parameters.get("name") ?? ""
        guard let bundle = registry.bundle(named: name) else {
            throw ProblemDetails(status: .notFound, detail: "There is no model named '\(name)'. GET /api/v1/models lists them.")
        }
        return bundle
    }

    private func predict(_ request: Request, bundle: ModelBundle, context: AppRequestContext) async throws -> Response {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxUploadBytes)
        } catch {
            throw ProblemDetails(status: .contentTooLarge, detail: "The body is larger than \(configuration.maxUploadMB) MB.", limit: configuration.maxUploadBytes)
        }
        if contentType.hasPrefix("text/csv") { return try predictCSV(body, bundle: bundle) }
        guard contentType.hasPrefix("application/json") || contentType.isEmpty else {
            throw ProblemDetails(status: .unsupportedMediaType, detail: "Send application/json (one applicant or {\"applicants\": [...]}) or text/csv; got '\(contentType)'.")
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(Array(body.readableBytesView))
        } catch {
            throw ProblemDetails(status: .badRequest, detail: "The body is not valid JSON: \(error.message) at byte \(error.offset).")
        }
        let applicants: [JSONValue]
        let single: Bool
        if case .object(let object) = json, let list = object["applicants"] {
            guard case .array(let array) = list else {
                throw ProblemDetails(status: .badRequest, detail: "'applicants' must be an array of applicant objects.")
            }
            applicants = array
            single = false
        } else if case .object = json {
            applicants = [json]
            single = true
        } else {
            throw ProblemDetails(status: .badRequest, detail: "Send one applicant object or {\"applicants\": [...]}.")
        }
        guard applicants.count <= configuration.apiBatchLimit else {
            throw ProblemDetails(status: .contentTooLarge, detail: "At most \(configuration.apiBatchLimit) applicants per request; this one has \(applicants.count).",
                                 limit: configuration.apiBatchLimit)
        }
        let parsed = ApplicantJSON(schema: bundle.schema).parse(applicants)
        let outcomes = BatchScorer(bundle: bundle).score(applicants: parsed.cells)
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
        let results = outcomes.enumerated().map { index, outcome in
            PredictionResult(outcome: outcome, id: parsed.ids[index], unknownFields: parsed.unknownFields[index], bundle: bundle)
        }
        var writer = JSONWriter(capacity: 256 * results.count)
        if single {
            results[0].write(to: &writer)
        } else {
            writer.raw(#"{"results":["#)
            for (i, result) in results.enumerated() {
                if i > 0 { writer.raw(",") }
                result.write(to: &writer)
            }
            writer.raw("]}")
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// A CSV body: the results CSV, as the web download and `loanrisk score` write it.
    private func predictCSV(_ body: ByteBuffer, bundle: ModelBundle) throws -> Response {
        let reader = body.withUnsafeReadableBytes { CSVReader(bytes: $0) }
        var bytes: [UInt8] = []
        do {
            let header = try reader.readHeader()
            let mapping = try ColumnMapping(header: header, schema: bundle.schema)
            CSVEncoder.appendRecord(ResultsCSV.header(inputHeader: header), to: &bytes)
            try ChunkedScoring(scorer: BatchScorer(bundle: bundle), threads: configuration.threads).run(
                reader: reader, mapping: mapping,
                transform: { _, records, outcomes in
                    var part: [UInt8] = []
                    for (record, outcome) in zip(records, outcomes) { ResultsCSV.appendRow(record: record, outcome: outcome, to: &part) }
                    return part
                },
                consume: { bytes += $0 })
        } catch let error as CSVError {
            throw ProblemDetails(status: .unprocessableContent, detail: error.message)
        } catch let error as InputFileError {
            throw ProblemDetails(status: .unprocessableContent, detail: error.message)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func jsonResponse(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
    }
}

/// One applicant's answer.
struct PredictionResult: Encodable {
    struct ModelReference: Encodable {
        let name: String
        let version: String
    }

    let id: String?
    let probabilityOfDefault: Double
    let decision: String
    let score: Int
    let warnings: [String]
    let model: ModelReference

    init(outcome: RowOutcome, id: String?, unknownFields: [String], bundle: ModelBundle) {
        self.id = id
        probabilityOfDefault = outcome.probability ?? .nan  // errors were answered with 422 before
        decision = outcome.decision?.rawValue ?? ""
        score = outcome.score ?? 0
        warnings = outcome.issues.map(\.message) + unknownFields.map { "'\($0)' is not an input of this model and was ignored." }
        model = ModelReference(name: bundle.name, version: bundle.version)
    }

    enum CodingKeys: String, CodingKey {
        case id, probabilityOfDefault = "probability_of_default", decision, score, warnings, model
    }
}

/// A model as the API describes it: name, version, inputs, policy, score scale.
struct ModelDescription: Encodable {
    let name: String
    let version: String
    let title: String
    let features: [FeatureSpec]
    let idColumn: String?
    let policy: DecisionPolicy
    let scoreScaling: ScoreScaling

    init(_ bundle: ModelBundle) {
        name = bundle.name
        version = bundle.version
        title = bundle.title
        features = bundle.schema.features
        idColumn = bundle.schema.idColumn
        policy = bundle.policy
        scoreScaling = bundle.scaling
    }

    enum CodingKeys: String, CodingKey {
        case name, version, title, features, idColumn = "id_column", policy, scoreScaling = "score_scaling"
    }
}
