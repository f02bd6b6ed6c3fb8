import Foundation
import Hummingbird
import LoanRiskCore
import Logging
import Scoring

/// The upload page, the upload itself, and the list of recent batches.
struct HomeController {
    let registry: ModelRegistry
    let store: BatchStore
    let views: Views
    /// The largest upload (`MAX_UPLOAD_MB`); a `.csv.gz` may inflate to ten times it.
    let maxUploadBytes: Int
    /// `RETENTION_DAYS`, which the page tells the analyst.
    let retentionDays: Int
    /// Where the sample files linked from the page are.
    let samplesDirectory: URL
    /// How slow an upload may arrive, and where it is spooled.
    let connections: ConnectionSettings
    let decisions: DecisionService
    let metrics: AppMetrics

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/") { request, context in uploadPage(context: context, selected: request.uri.queryParameters["model"].map(String.init)) }
        router.post("/batches") { request, context in try await upload(request, context: context) }
        router.get("/batches") { _, context in try await list(context: context) }
    }

    func uploadPage(
        context: AppRequestContext, selected: String? = nil, problem: InputFileError? = nil, suggestion: ModelBundle? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let chosen = selected.flatMap(registry.bundle(named:)) ?? registry.defaultBundle
        let missing = problem?.missingColumns ?? []
        let page = UploadPage(
            base: PageBase(context, title: "Score applicants"), model: ModelSummary(chosen),
            choices: registry.all.map { .init(name: $0.name, title: $0.title, version: $0.version, selected: $0.name == chosen.name) },
            maxUploadMB: maxUploadBytes / 1_048_576, retentionDays: retentionDays, hasSample: hasSample(chosen.name),
            // Every model's description, the chosen one shown: the page's script shows another's,
            // and points the template and sample links at it, when the choice changes.
            abouts: registry.all.map { .init(summary: ModelSummary($0), selected: $0.name == chosen.name, hasSample: hasSample($0.name)) },
            // The page lists missing columns and the expected header itself; the message stays short.
            problem: problem.map { missing.isEmpty ? $0.message : "The file is missing \(missing.count) required column\(missing.count == 1 ? "" : "s")." },
            expectedHeader: problem?.expectedHeader?.joined(separator: ","),
            missingColumns: missing.map { name in
                let label = BatchController.named(name, Dictionary(chosen.schema.features.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
                return .init(phrase: label.column == nil ? nil : label.phrase, name: name)
            },
            hasMissing: !missing.isEmpty,
            suggestion: suggestion.map { .init(name: $0.name, title: $0.title) })
        return views.page(page, status: status)
    }

    /// Another model whose every required column the file has, when the chosen one lacks
    /// some: a German-credit file uploaded under Lending Club is told which model fits.
    private func betterModel(for file: UploadedFile, than chosen: ModelBundle) -> ModelBundle? {
        let reader = file.reader()
        guard let header = try? reader.readHeader() else { return nil }
        let columns = Set(header.map { $0.trimmingCharacters(in: .whitespaces) })
        return registry.all
            .filter { $0.name != chosen.name }
            .map { bundle in (bundle, bundle.schema.requiredColumns.filter { !columns.contains($0) }.count) }
            .filter { $0.1 == 0 }
            .max { $0.0.schema.requiredColumns.count < $1.0.schema.requiredColumns.count }?.0
    }

    private func hasSample(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: samplesDirectory.appendingPathComponent("\(name)-sample.csv").path)
    }

    private func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let clock = ContinuousClock()
        let started = clock.now
        try CSRF.requireSession(request, context: context)
        let form: MultipartForm
        do {
            form = try await MultipartForm.read(request, limit: maxUploadBytes, settings: connections)
        } catch let tooLarge as SpooledBody.TooLarge {
            let problem = InputFileError("The file is larger than the upload limit of \(tooLarge.limit / 1_048_576) MB. Split it into smaller files, or compress it (.csv.gz).")
            return uploadPage(context: context, problem: problem, status: .contentTooLarge)
        }
        try CSRF.check(form.fields["csrf"], context: context)
        let modelName = form.fields["model"] ?? registry.defaultName
        // Champion and challenger taken once: the whole file is scored by this champion.
        guard let serving = registry.serving(named: modelName) else {
            return uploadPage(context: context, problem: InputFileError("There is no model named ‘\(modelName)’."), status: .unprocessableContent)
        }
        let bundle = serving.champion
        guard let part = form.files.first(where: { $0.fieldName == "file" }), !part.fileName.isEmpty else {
            return uploadPage(context: context, selected: bundle.name, problem: InputFileError("Choose a CSV file to upload."), status: .unprocessableContent)
        }
        let received = clock.now
        let file: UploadedFile
        do {
            file = try UploadedFile(
                name: part.fileName, bytes: part.bytes, maxBytes: maxUploadBytes * 10, spoolDirectory: connections.spoolDirectory)
        } catch {
            return uploadPage(context: context, selected: bundle.name, problem: error, status: .unprocessableContent)
        }
        let decided: DecisionService.DecidedBatch
        do {
            decided = try await decisions.decideUpload(file, serving: serving, team: context.team, caller: context.principal?.caller, logger: context.logger)
        } catch DecisionError.unreadableFile(let error) {
            return uploadPage(
                context: context, selected: bundle.name, problem: error, suggestion: error.missingColumns.isEmpty ? nil : betterModel(for: file, than: bundle),
                status: .unprocessableContent)
        }
        let elapsed = (clock.now - started).components
        metrics.upload(bytes: file.csv.count, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        let summary = decided.summary
        context.recordAccess(.upload, .batch, summary.id)
        context.logger.info("batch stored", metadata: [
            "batch": .string(summary.id), "rows": .stringConvertible(summary.rowCount), "model": .string(bundle.name),
            "receive": "\(received - started)", "score": "\(decided.score)", "compressWait": "\(decided.compressWait)", "store": "\(decided.store)",
        ])
        return .redirect(to: "/batches/\(summary.id)", type: .normal)
    }

    private func list(context: AppRequestContext) async throws -> Response {
        let batches = try await store.recent(team: context.team)
        // Analysts' decisions move each batch's counts (the same database as the batches).
        let decided = try await ReviewStore(database: store.database).decided(batches: batches.filter { $0.reviewCount > 0 }.map(\.id))
        return views.page(BatchesPage(
            base: PageBase(context, title: "Recent batches"), batches: batches.map { BatchesPage.Entry($0, decided: decided[$0.id] ?? .init()) },
            retentionDays: retentionDays))
    }
}
