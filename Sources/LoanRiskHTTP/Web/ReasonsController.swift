import Foundation
import Hummingbird
import LoanRiskCore
import NIOCore

/// The results CSV with reasons: asked for with a form on the batch page, made in the
/// background by `ReasonsJobs`, followed with a small JSON status (polled by app.js; without
/// script the page refreshes itself), then downloaded.
struct ReasonsController {
    let store: BatchStore
    let jobs: ReasonsJobs
    let registry: ModelRegistry

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("/batches/:id/reasons") { request, context in try await start(request, context: context) }
        router.get("/batches/:id/reasons.json") { _, context in try await status(context: context) }
        router.get("/batches/:id/reasons.csv") { request, context in try await download(request, context: context) }
    }

    /// What the batch page and the JSON status say about a batch's reasons file.
    struct Status: Sendable, Equatable {
        enum State: String, Sendable { case unavailable, none, queued, running, failed, ready }
        var state: State
        var done = 0
        var total = 0
        var message: String?
        var info: BatchStore.ReasonsFileInfo?

        var percent: Int { total == 0 ? 0 : min(100, done * 100 / total) }
    }

    static func status(of summary: BatchSummary, store: BatchStore, jobs: ReasonsJobs, registry: ModelRegistry) async throws -> Status {
        let progress = try await jobs.progress(batch: summary.id)
        if let info = try await store.reasonsFileInfo(batch: summary.id), progress == nil {
            return Status(state: .ready, done: summary.rowCount, total: summary.rowCount, info: info)
        }
        if case .failure(let unavailable) = await StoredRowExplainer.make(for: summary, registry: registry) {
            return Status(state: .unavailable, message: unavailable.message)
        }
        switch progress {
        case nil: return Status(state: .none, total: summary.rowCount)
        case .queued?: return Status(state: .queued, total: summary.rowCount)
        case .running(let done, let total)?: return Status(state: .running, done: done, total: total)
        case .failed(let message)?: return Status(state: .failed, message: message)
        }
    }

    private func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let summary = try await store.summary(for: context)
        let form = try await FormBody.read(request, context: context)
        try CSRF.check(form["csrf"], context: context)
        if case .failure(let unavailable) = await StoredRowExplainer.make(for: summary, registry: registry) {
            throw HTTPError(.conflict, message: unavailable.message)
        }
        if try await store.reasonsFileInfo(batch: summary.id) == nil {
            try await jobs.start(batch: summary.id)
        }
        return .redirect(to: "/batches/\(summary.id)#reasons-download", type: .normal)
    }

    private func status(context: AppRequestContext) async throws -> some ResponseGenerator {
        let summary = try await store.summary(for: context)
        let status = try await Self.status(of: summary, store: store, jobs: jobs, registry: registry)
        struct Answer: Encodable {
            let state: String, done: Int, total: Int, percent: Int
            let message: String?, download: String?
        }
        let answer = Answer(
            state: status.state.rawValue, done: status.done, total: status.total, percent: status.percent,
            message: status.message, download: status.state == .ready ? "/batches/\(summary.id)/reasons.csv" : nil)
        return JSONAnswer(answer)
    }

    private func download(_ request: Request, context: AppRequestContext) async throws -> Download {
        let summary = try await store.summary(for: context)
        guard let file = try await store.reasonsFile(batch: summary.id) else {
            throw HTTPError(.notFound, message: "The results with reasons have not been made for this batch yet. Ask for them on the batch page.")
        }
        context.recordAccess(.download, .batch, summary.id)
        // Stored gzip-compressed: sent as it is to clients that take gzip (every browser).
        return Download(fileName: "\(Download.baseName(of: summary.fileName))-results-with-reasons.csv", body: .gzip(file.gzip, byteCount: file.byteCount))
    }
}
