import Foundation
import Hummingbird
import Logging
import Scoring

/// The upload page, the upload itself, and the list of recent batches.
struct HomeController {
    let registry: ModelRegistry
    let store: BatchStore
    let views: Views
    let configuration: AppConfiguration
    let shadow: ShadowScorer
    let reasonCodes: BatchReasonCodes
    let metrics: AppMetrics
    let monitor: TrafficMonitor

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/") { request, context in uploadPage(context: context, selected: request.uri.queryParameters["model"].map(String.init)) }
        router.post("/batches") { request, context in try await upload(request, context: context) }
        router.get("/batches") { _, context in try await list(context: context) }
    }

    private var pages: PageContext { PageContext(registry: registry) }

    func uploadPage(
        context: AppRequestContext, selected: String? = nil, problem: InputFileError? = nil, suggestion: ModelBundle? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = pages.base(context, title: "Score applicants")
        let chosen = selected.flatMap(registry.bundle(named:)) ?? registry.defaultBundle
        values["model"] = PageContext.model(chosen)
        values["choices"] = registry.all.map { ["name": $0.name, "title": $0.title, "version": $0.version, "selected": $0.name == chosen.name] }
        values["maxUploadMB"] = configuration.maxUploadMB
        values["retentionDays"] = configuration.retentionDays
        values["hasSample"] = hasSample(chosen.name)
        // Every model's description, the chosen one shown: the page's script shows another's,
        // and points the template and sample links at it, when the choice changes.
        values["abouts"] = registry.all.map { bundle -> [String: Any] in
            var about = PageContext.model(bundle)
            about["selected"] = bundle.name == chosen.name
            about["hasSample"] = hasSample(bundle.name)
            return about
        }
        if let problem {
            // The page lists missing columns and the expected header itself; the message stays short.
            let count = problem.missingColumns.count
            values["problem"] = count == 0 ? problem.message : "The file is missing \(count) required column\(count == 1 ? "" : "s")."
            if let header = problem.expectedHeader { values["expectedHeader"] = header.joined(separator: ",") }
            values["missingColumns"] = problem.missingColumns
            values["hasMissing"] = !problem.missingColumns.isEmpty
        }
        if let suggestion {
            values["suggestion"] = ["name": suggestion.name, "title": suggestion.title]
        }
        return views.page("index", values, status: status)
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
        FileManager.default.fileExists(atPath: configuration.samplesDirectory.appendingPathComponent("\(name)-sample.csv").path)
    }

    private func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let clock = ContinuousClock()
        let started = clock.now
        try CSRF.requireSession(request)
        let form: MultipartForm
        do {
            form = try await MultipartForm.read(request, limit: configuration.maxUploadBytes, settings: configuration.connections)
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
                name: part.fileName, bytes: part.bytes, maxBytes: configuration.maxUploadBytes * 10, spoolDirectory: configuration.connections.spoolDirectory)
        } catch {
            return uploadPage(context: context, selected: bundle.name, problem: error, status: .unprocessableContent)
        }
        // Compress the stored copy on another core while the rows are scored.
        async let compressed = file.gzip()
        let scored: BatchBuilder.Built
        do {
            var builder = BatchBuilder(scorer: BatchScorer(bundle: bundle), threads: configuration.threads)
            builder.recentSamples = configuration.monitorWindowApplicants
            scored = try builder.build(file, id: BatchID.make())
        } catch {
            _ = try? await compressed
            return uploadPage(
                context: context, selected: bundle.name, problem: error, suggestion: error.missingColumns.isEmpty ? nil : betterModel(for: file, than: bundle),
                status: .unprocessableContent)
        }
        let built = clock.now
        let batch = BatchStore.NewBatch(
            summary: scored.summary, rows: scored.rows, features: scored.features, gzipFile: try await compressed, fileByteCount: file.csv.count,
            modelSha256: bundle.sha256)
        let packed = clock.now
        try await store.insert(batch)
        writeDeferred(scored.features, file: file, batch: batch.summary.id, logger: context.logger)
        metrics.scored(model: bundle.name, version: bundle.version, channel: AuditRecord.Channel.batch.rawValue,
                       decisions: batch.rows.compactMap { r in r.decision.flatMap { d in r.probability.map { (d, $0) } } })
        let elapsed = (clock.now - started).components
        metrics.upload(bytes: file.csv.count, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        let summary = batch.summary
        monitor.observe(.init(
            bundle: bundle, channel: .batch, at: summary.createdAt, applicants: summary.validCount, approve: summary.approveCount,
            review: summary.reviewCount, decline: summary.declineCount, samples: scored.samples))
        if let drift = batch.summary.drift {
            metrics.batchDrift(model: bundle.name, inputs: drift.inputs.map { ($0.name, $0.psi) }, score: drift.score?.psi)
        }
        if let challenger = serving.challenger {
            shadow.submit(.batch(.init(champion: bundle, challenger: challenger, channel: .batch, requestID: batch.summary.id), id: batch.summary.id))
        }
        context.logger.info("batch stored", metadata: [
            "batch": .string(batch.summary.id), "rows": .stringConvertible(batch.summary.rowCount), "model": .string(bundle.name),
            "receive": "\(received - started)", "score": "\(built - received)", "compressWait": "\(packed - built)", "store": "\(clock.now - packed)",
        ])
        return .redirect(to: "/batches/\(batch.summary.id)", type: .normal)
    }

    /// The rows' features (what their reasons are computed from) and uploaded cells follow the
    /// batch in a second write, so the results page does not wait for them; pages that need
    /// them wait a moment or say they are being prepared meanwhile.
    /// The cells are read from the file again there (a tenth of the time scoring it took):
    /// made while scoring, they tripled the time to the results page of a 64 MB file.
    /// Once they are stored, the audit records' reason codes are computed from them.
    private func writeDeferred(_ features: [RowFeatures.Block], file: UploadedFile, batch id: String, logger: Logger) {
        let store = self.store, reasonCodes = self.reasonCodes
        Task {
            do {
                let cells = try RowCells.json(file.reader())
                try await store.insertDeferred(batch: id, features: features, cells: cells)
                reasonCodes.submit(batch: id)
            } catch {
                logger.error("batch features and cells not stored", metadata: ["batch": .string(id), "error": "\(error)"])
            }
        }
    }

    private func list(context: AppRequestContext) async throws -> Response {
        var values = pages.base(context, title: "Recent batches")
        values["batches"] = try await store.recent().map { s -> [String: Any] in
            ["id": s.id, "fileName": s.fileName, "model": "\(s.modelName) \(s.modelVersion)", "created": Formatting.timestamp(s.createdAt),
             "rows": Formatting.count(s.rowCount), "invalid": Formatting.count(s.invalidCount),
             "approveRate": Formatting.rate(s.approveCount, of: s.rowCount), "declineRate": Formatting.rate(s.declineCount, of: s.rowCount),
             "drift": s.drift?.band.rawValue ?? "—", "driftMajor": s.drift?.band == .major]
        }
        values["retentionDays"] = configuration.retentionDays
        return views.page("batches", values)
    }
}

/// Batch ids: random and unguessable (a batch holds applicants' data), URL-safe.
enum BatchID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    static func isWellFormed(_ id: String) -> Bool {
        id.count == 16 && id.allSatisfy { $0.isLetter || $0.isNumber }
    }
}
