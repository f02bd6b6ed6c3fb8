import Foundation
import LoanRiskStorage
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Makes results CSVs with reasons in the background, one batch at a time (each already uses
/// every scoring thread), and keeps the finished file in the database. Progress lives here,
/// in memory, and is written to the database twice a second, so that every instance on it
/// can tell a job another one runs from one never started; a job its instance stopped
/// updating (a crash) counts as not started and is simply asked for again. A service, so a
/// graceful shutdown stops the running job between chunks.
package final class ReasonsJobs: Service, Sendable {
    /// Where a batch's job stands. A finished job is not here: its file is in the database.
    package enum Progress: Sendable, Equatable {
        case queued
        case running(done: Int, total: Int)
        case failed(String)

        package var isFailed: Bool {
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

    package init(store: BatchStore, registry: ModelRegistry, threads: Int, logger: Logger) {
        self.store = store
        self.registry = registry
        self.threads = max(1, threads)
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: String.self)
    }

    /// How long a job's stored progress counts without news from its instance.
    package static let abandonedAfter: TimeInterval = 30
    /// How often a running job's progress is written for the other instances.
    package static let progressInterval: Duration = .milliseconds(500)

    /// Queues the batch unless its job is already queued or running, here or on another
    /// instance (a failed one is retried).
    @discardableResult
    package func start(batch id: String) async throws -> Progress {
        if let elsewhere = try await storedProgress(batch: id), !elsewhere.isFailed { return elsewhere }
        let queued = jobs.withLock { jobs -> Bool in
            if let current = jobs[id], !current.isFailed { return false }
            jobs[id] = .queued
            return true
        }
        guard queued else { return progress(batchHere: id) ?? .queued }
        try await store.setReasonsJob(batch: id, .init(state: .queued, done: 0, total: 0, message: nil, updatedAt: Date()))
        enqueue.yield(id)
        return .queued
    }

    /// Where the batch's job stands, here or on any instance; nil when none is under way.
    package func progress(batch id: String) async throws -> Progress? {
        if let here = progress(batchHere: id) { return here }
        return try await storedProgress(batch: id)
    }

    private func progress(batchHere id: String) -> Progress? {
        jobs.withLock { $0[id] }
    }

    /// Another instance's job, as it last wrote it (a failure stays; a silent one has died).
    private func storedProgress(batch id: String) async throws -> Progress? {
        guard let record = try await store.reasonsJob(batch: id) else { return nil }
        switch record.state {
        case .failed: return .failed(record.message ?? "The file with reasons could not be made.")
        case _ where Date().timeIntervalSince(record.updatedAt) > Self.abandonedAfter: return nil
        case .queued: return .queued
        case .running: return .running(done: record.done, total: record.total)
        }
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.publishProgress() }
                for await id in self.queue {
                    await self.produce(id)
                }
                group.cancelAll()
            }
        }
    }

    private func set(_ id: String, _ progress: Progress?) {
        jobs.withLock { $0[id] = progress }
    }

    /// Writes where this instance's queued and running jobs stand, for the other instances,
    /// every `progressInterval`: a job whose record stops being refreshed died with us.
    private func publishProgress() async {
        while !Task.isCancelled {
            let here = jobs.withLock { $0 }
            for (id, progress) in here {
                let record: BatchStore.ReasonsJobRecord
                switch progress {
                case .queued: record = .init(state: .queued, done: 0, total: 0, message: nil, updatedAt: Date())
                case .running(let done, let total): record = .init(state: .running, done: done, total: total, message: nil, updatedAt: Date())
                case .failed: continue  // written once, when it failed
                }
                // An update only: a job that ended meanwhile keeps its final record.
                try? await store.refreshReasonsJob(batch: id, record)
            }
            try? await Task.sleep(for: Self.progressInterval)
        }
    }

    /// Ends the job here and records how (a failure's message stays for every instance to show).
    private func finish(_ id: String, failure: String?) async {
        set(id, failure.map(Progress.failed))
        let record = failure.map { BatchStore.ReasonsJobRecord(state: .failed, done: 0, total: 0, message: $0, updatedAt: Date()) }
        do {
            try await store.setReasonsJob(batch: id, record)
        } catch {
            logger.warning("reasons job state not stored", metadata: ["batch": .string(id), "error": .string("\(error)")])
        }
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
            try await store.saveReasonsFile(batch: id, gzip: gzip, byteCount: count, reasonCount: ReasonsCSVBuilder.reasonCount, rowCount: summary.rowCount)
            set(id, nil)
            logger.info("reasons file stored", metadata: [
                "batch": .string(id), "rows": .stringConvertible(summary.rowCount), "seconds": "\(clock.now - started)",
            ])
        } catch let failure as ReasonsCSVBuilder.Failure {
            await finish(id, failure: failure.message)
        } catch is CancellationError {
            await finish(id, failure: nil)
        } catch {
            logger.error("reasons file failed", metadata: ["batch": .string(id), "error": .string("\(error)")])
            await finish(id, failure: "The file with reasons could not be made. Nothing you did caused it; please try again.")
        }
    }
}
