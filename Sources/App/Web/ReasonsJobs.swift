import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Makes results CSVs with reasons in the background, one batch at a time (each already uses
/// every scoring thread), and keeps the finished file in SQLite. Progress lives here, in
/// memory: a job cut short by a restart is simply asked for again. A service, so a graceful
/// shutdown stops the running job between chunks.
final class ReasonsJobs: Service, Sendable {
    /// Where a batch's job stands. A finished job is not here: its file is in the database.
    enum Progress: Sendable, Equatable {
        case queued
        case running(done: Int, total: Int)
        case failed(String)

        var isFailed: Bool {
            if case .failed = self { return true }
            return false
        }
    }

    private let store: BatchStore
    private let registry: ModelRegistry
    private let threads: Int
    private let logger: Logger
    private let jobs = Mutex<[String: Progress]>([:])
    private let queue: AsyncStream<String>
    private let enqueue: AsyncStream<String>.Continuation

    init(store: BatchStore, registry: ModelRegistry, threads: Int, logger: Logger) {
        self.store = store
        self.registry = registry
        self.threads = max(1, threads)
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: String.self)
    }

    /// Queues the batch unless its job is already queued or running (a failed one is retried).
    @discardableResult
    func start(batch id: String) -> Progress {
        jobs.withLock { jobs in
            if let current = jobs[id], !current.isFailed { return current }
            jobs[id] = .queued
            enqueue.yield(id)
            return .queued
        }
    }

    func progress(batch id: String) -> Progress? {
        jobs.withLock { $0[id] }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await id in self.queue {
                await self.produce(id)
            }
        }
    }

    private func set(_ id: String, _ progress: Progress?) {
        jobs.withLock { $0[id] = progress }
    }

    private func produce(_ id: String) async {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            guard let summary = try await store.summary(id: id) else {
                set(id, nil)  // deleted while it waited
                return
            }
            let explainer: StoredRowExplainer
            switch await StoredRowExplainer.make(for: summary, registry: registry) {
            case .success(let made): explainer = made
            case .failure(let unavailable): throw ReasonsCSVBuilder.Failure(message: unavailable.message)
            }
            let builder = ReasonsCSVBuilder(store: store, explainer: explainer, threads: threads)
            let bytes = try await builder.build(summary: summary) { done, total in
                self.set(id, .running(done: done, total: total))
            }
            let count = bytes.count
            let gzip = try await Detached.run { try Gzip.compress(ByteBuffer(bytes: bytes)) }
            try await store.saveReasonsFile(batch: id, gzip: gzip, byteCount: count, reasonCount: ReasonsCSVBuilder.reasonCount)
            set(id, nil)
            logger.info("reasons file stored", metadata: [
                "batch": .string(id), "rows": .stringConvertible(summary.rowCount), "seconds": "\(clock.now - started)",
            ])
        } catch let failure as ReasonsCSVBuilder.Failure {
            set(id, .failed(failure.message))
        } catch is CancellationError {
            set(id, nil)
        } catch {
            logger.error("reasons file failed", metadata: ["batch": .string(id), "error": .string("\(error)")])
            set(id, .failed("The file with reasons could not be made. Nothing you did caused it; please try again."))
        }
    }
}
