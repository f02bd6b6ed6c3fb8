import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Writes the audit records of API answers with group commit: a request hands its records
/// over and waits until they are committed, so no answer leaves without its record; the
/// writer commits everything waiting in one transaction, so thousands of requests a second
/// cost a few hundred small transactions, not one each. A service: on shutdown it commits
/// what is still waiting before it stops.
final class AuditLog: Service, Sendable {
    private struct Pending {
        var records: [AuditRecord] = []
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var stopped = false
    }

    private let store: AuditStore
    private let logger: Logger
    private let pending = Mutex(Pending())
    private let wake: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init(store: AuditStore, logger: Logger) {
        self.store = store
        self.logger = logger
        (wake, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once `records` are committed; throws when they could not be (the caller
    /// answers with an error instead of an unrecorded decision).
    func record(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let accepted = pending.withLock { p -> Bool in
                guard !p.stopped else { return false }
                p.records += records
                p.waiters.append(continuation)
                return true
            }
            if accepted {
                signal.yield()
            } else {
                continuation.resume(throwing: AuditUnavailable())
            }
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.wake {
                await self.flush()
            }
        }
        pending.withLock { $0.stopped = true }
        await flush()
    }

    private func flush() async {
        while true {
            let (records, waiters) = pending.withLock { p in
                defer { p.records = []; p.waiters = [] }
                return (p.records, p.waiters)
            }
            guard !waiters.isEmpty else { return }
            do {
                try await store.append(records)
                for waiter in waiters { waiter.resume() }
            } catch {
                logger.error("audit: records not written; their answers fail", metadata: ["records": .stringConvertible(records.count), "error": "\(error)"])
                for waiter in waiters { waiter.resume(throwing: AuditUnavailable()) }
            }
        }
    }
}

/// The audit log could not take a decision's record: the decision is not given.
struct AuditUnavailable: Error {}
