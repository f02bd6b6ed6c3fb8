import Foundation
import Logging
import Scoring
import ServiceLifecycle

/// Fills in the reason codes of an upload's audit records. The records are written with the
/// batch (the decision and its record are one transaction) but without reasons: explaining
/// every row at upload would cost more than scoring it (50,000 rows of the 1,000-tree
/// benchmark model: 23 s). Here they are computed afterwards, from the rows' stored
/// features, by the exact version that scored the batch, on one thread so uploads and
/// requests keep the others. A batch not finished when the server stops is taken up again
/// at the next start.
package final class BatchReasonCodes: Service, Sendable {
    private let store: BatchStore
    private let audit: AuditStore
    private let registry: ModelRegistry
    private let logger: Logger
    private let queue: AsyncStream<String>
    private let enqueue: AsyncStream<String>.Continuation
    package static let chunkRows = 2_000

    package init(store: BatchStore, audit: AuditStore, registry: ModelRegistry, logger: Logger) {
        self.store = store
        self.audit = audit
        self.registry = registry
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: String.self)
    }

    /// Queues a batch whose row features have just been stored (they follow the batch in a
    /// write of their own: waiting for them here with a deadline would leave a batch without
    /// codes whenever that write takes longer, as under a heavy load).
    package func submit(batch id: String) {
        enqueue.yield(id)
    }

    package func run() async throws {
        do {
            for id in try await audit.batchesAwaitingReasonCodes() { enqueue.yield(id) }
        } catch {
            logger.error("audit: could not look for batches awaiting reason codes", metadata: ["error": "\(error)"])
        }
        await cancelWhenGracefulShutdown {
            for await id in self.queue {
                await self.fill(id)
            }
        }
    }

    private func fill(_ id: String) async {
        do {
            guard let summary = try await store.summary(id: id) else { return }  // deleted meanwhile
            // Still pending at a start: another instance is writing them and queues the batch
            // itself when done, or the write was cut short and they never come.
            guard summary.validCount > 0, try await store.featuresState(batch: id) == .stored else { return }
            guard case .success(let explainer) = await StoredRowExplainer.make(for: summary, registry: registry) else { return }
            guard let export = try await store.export(batch: id) else { return }
            let options = ExplainOptions(reasons: ExplainOptions.defaultReasonCount)
            var codes: [(row: Int, codes: String)] = []
            for start in stride(from: 0, to: export.rows.count, by: Self.chunkRows) {
                try Task.checkCancellation()
                let rows = export.rows[start..<min(start + Self.chunkRows, export.rows.count)]
                guard let first = rows.first?.rowNumber, let last = rows.last?.rowNumber else { continue }
                let features = try await store.features(batch: id, rowNumbers: first...last)
                let pairs = rows.compactMap { row in row.probability == nil ? nil : features[row.rowNumber].map { (row: row, features: $0) } }
                let explained = await Detached.run { explainer.explain(pairs, options: options, threads: 1) }
                codes += explained.explanations.map { (row: $0.key, codes: AuditRecord.codes($0.value.reasons)) }
            }
            try await audit.setReasonCodes(batch: id, codes)
        } catch is CancellationError {
            return
        } catch {
            logger.error("audit: reason codes not filled in", metadata: ["batch": .string(id), "error": "\(error)"])
        }
    }
}
