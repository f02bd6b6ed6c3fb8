import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Writes the audit records of API, OIP and form answers; `record` returns only once they are
/// durable, so no answer ever leaves without its record, even after `kill -9`.
///
/// Group commit: requests hand over their records and wait; one writer commits everything
/// that has gathered in one transaction, and starts the next as soon as one ends, so the
/// transactions grow with the load instead of their number (bench/README.md, "No answer
/// without its record").
///
/// When the database does not commit a group within `deadline` (it is down: PostgreSQL's pool
/// waits for a connection rather than failing), or fails it, the group goes to the local
/// `AuditJournal` instead, and later groups too, until the journal has been replayed into the
/// database (tried every second); the requests are answered once their records are synced to
/// the journal. A record that cannot be written there either fails its request
/// (`AuditUnavailable`): the decision is then not given.
package final class AuditLog: Service, Sendable {
    private struct Pending {
        package var records: [AuditRecord] = []
        package var waiters: [CheckedContinuation<Void, any Error>] = []
        package var stopped = false
    }

    private struct Fallback {
        /// Groups go to the journal, not the database, until a replay succeeds.
        package var journaling = false
        /// Writes that passed their deadline and may still commit: a replay waits for them
        /// first, so that what they commit is seen and not added twice.
        package var overdue: [Task<Void, Never>] = []
    }

    private let store: AuditStore
    private let journal: AuditJournal
    private let logger: Logger
    private let deadline: Duration
    private let replayInterval: Duration
    private let pending = Mutex(Pending())
    private let fallback = Mutex(Fallback())
    private let wake: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    /// `deadline`: a group's commit takes about a millisecond (bench/README.md), so a database
    /// that has not committed within a second is not answering; a merely slow second costs
    /// nothing but a detour through the journal, replayed (each record once) a second later.
    /// `replayInterval`: how often the journal is replayed while it holds records.
        package init(store: AuditStore, journal: AuditJournal, logger: Logger, deadline: Duration = .seconds(1), replayInterval: Duration = .seconds(1)) {
        self.store = store
        self.journal = journal
        self.logger = logger
        self.deadline = deadline
        self.replayInterval = replayInterval
        (wake, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once `records` are committed to the database or synced to the journal. Throws
    /// when they are neither (the caller answers with an error instead of an unrecorded
    /// decision), or when the log has stopped.
    package func record(_ records: [AuditRecord]) async throws {
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

    package func run() async throws {
        if let problem = journal.unwritable() {
            logger.warning("audit: the journal cannot be written (\(problem)): while the database cannot take records, decisions will be refused (AUDIT_JOURNAL_DIR)")
        }
        let replayer = Task { await self.replayJournal() }
        defer { replayer.cancel() }
        await cancelWhenGracefulShutdown {
            for await _ in self.wake {
                await self.flush()
            }
        }
        pending.withLock { $0.stopped = true }
        await flush()
    }

    /// Writes everything gathered, one group after another, until nothing waits.
    private func flush() async {
        while true {
            let (records, waiters) = pending.withLock { p in
                defer { p.records = []; p.waiters = [] }
                return (p.records, p.waiters)
            }
            guard !records.isEmpty else { return }
            var kept = true
            let journaling = fallback.withLock { $0.journaling }
            let committed = journaling ? false : await commit(records)
            if !committed {
                do {
                    try await journal.append(records)
                } catch {
                    kept = false
                    logger.error("audit: records neither committed nor journaled; their requests are refused",
                                 metadata: ["records": .stringConvertible(records.count), "error": "\(error)"])
                }
            }
            for waiter in waiters {
                if kept { waiter.resume() } else { waiter.resume(throwing: AuditUnavailable()) }
            }
        }
    }

    /// Commits a group to the database; false (and journaling from now on) when that fails
    /// or does not end within the deadline.
    private func commit(_ records: [AuditRecord]) async -> Bool {
        let store = self.store
        let deadline = self.deadline
        let race = FirstEnd()
        let write = Task {
            do {
                try await store.append(records)
                race.end(.success(()))
            } catch {
                race.end(.failure(error))
            }
        }
        let timer = Task {
            guard (try? await Task.sleep(for: deadline)) != nil else { return }
            race.end(nil)
        }
        let outcome = await race.first()
        timer.cancel()
        if case .success = outcome { return true }
        let started = fallback.withLock { f in
            defer { f.journaling = true }
            if outcome == nil { f.overdue.append(write) }
            return !f.journaling
        }
        if started {
            // The error's own description: a `Result`'s would reflect PostgreSQL's whole error,
            // with the statement and its values.
            var why = "no answer within \(deadline)"
            if case .failure(let error) = outcome { why = String(describing: error) }
            logger.warning("audit: the database did not take the records; journaling them until it does",
                           metadata: ["journal": .string(journal.directory.path), "error": .string(why)])
        }
        return false
    }

    /// Replays the journal into the database: at start (what a stopped instance left), then
    /// every `replayInterval`, until the service stops (what is left is replayed next time).
    private func replayJournal() async {
        var failing = false
        while !Task.isCancelled {
            do {
                try await replayOnce()
                failing = false
            } catch {
                // Once per outage, not once a second.
                if !failing, !Task.isCancelled {
                    logger.warning("audit: the journal is not replayed yet; trying again every \(replayInterval)", metadata: ["error": "\(error)"])
                }
                failing = true
            }
            try? await Task.sleep(for: replayInterval)
        }
    }

    /// Writes every waiting journal file's records to the database, then deletes the files.
    package func replayOnce() async throws {
        let waiting = try await journal.takeWaiting()
        guard !waiting.isEmpty else { return }
        // Taken after the files: a write that passed its deadline before its group was
        // journaled is listed by now, and what it committed is seen by the replay.
        let overdue = fallback.withLock { f in
            defer { f.overdue = [] }
            return f.overdue
        }
        for write in overdue { await write.value }
        var added = 0
        for file in waiting {
            added += try await store.appendMissing(file.records)
        }
        // All in the database: groups may go there again, and the files can go.
        fallback.withLock { $0.journaling = false }
        for file in waiting {
            if file.unreadable > 0 {
                logger.error("audit: journal lines that are not records were dropped",
                             metadata: ["file": .string(file.file.path), "lines": .stringConvertible(file.unreadable)])
            }
            await journal.remove(file.file)
        }
        logger.notice("audit: journal replayed into the database",
                      metadata: ["records": .stringConvertible(waiting.reduce(0) { $0 + $1.records.count }), "added": .stringConvertible(added)])
    }
}

/// The audit log could not take a decision's record: the decision is not given.
package struct AuditUnavailable: Error {}

/// Whichever ends first, a write or its deadline: `end` is called by both, `first` returns
/// the first value given (nil: the deadline).
private final class FirstEnd: Sendable {
    private enum State {
        case running
        case waiting(CheckedContinuation<Result<Void, any Error>?, Never>)
        case ended(Result<Void, any Error>?)
        case taken
    }

    private let state = Mutex(State.running)

    package func end(_ value: Result<Void, any Error>?) {
        let waiter = state.withLock { s -> CheckedContinuation<Result<Void, any Error>?, Never>? in
            switch s {
            case .running:
                s = .ended(value)
                return nil
            case .waiting(let continuation):
                s = .taken
                return continuation
            case .ended, .taken:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }

    package func first() async -> Result<Void, any Error>? {
        await withCheckedContinuation { continuation in
            let ended = state.withLock { s -> Result<Void, any Error>?? in
                if case .ended(let value) = s {
                    s = .taken
                    return .some(value)
                }
                s = .waiting(continuation)
                return .none
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }
}
