import Foundation
import LoanRiskStorage
import Logging
import ServiceLifecycle
import Synchronization

/// Takes access events from request handlers without making them wait: `record` puts the event
/// in a bounded queue and returns; one writer appends what has gathered in one transaction
/// (as the audit log's group commit does), so a burst of page reads costs one commit, not one
/// each. Unlike an audit record, an access event is not worth refusing a request for: when
/// the database does not take a group it is kept for the next try, and past `capacity`
/// waiting events new ones are dropped and counted (logged once a minute at most).
package final class AccessLog: Service, Sendable {
    private struct Pending {
        var events: [AccessEvent] = []
        var dropped = 0
        var lastDropWarning: ContinuousClock.Instant?
    }

    package let store: AccessLogStore
    private let logger: Logger
    private let capacity: Int
    private let pending = Mutex(Pending())
    /// One writer at a time: a `flush` waits for a group another one is writing, so it returns
    /// only once everything queued before it is in the database.
    private let writer = AsyncLock()
    private let wake: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    /// `capacity`: events waiting at most; 10,000 is minutes of page traffic, a few megabytes.
    package init(store: AccessLogStore, logger: Logger, capacity: Int = 10_000) {
        self.store = store
        self.logger = logger
        self.capacity = capacity
        (wake, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `event` for the writer; never waits and never fails.
    package func record(_ event: AccessEvent) {
        let warn = pending.withLock { p -> Int? in
            guard p.events.count < capacity else {
                p.dropped += 1
                let now = ContinuousClock.now
                if let last = p.lastDropWarning, now - last < .seconds(60) { return nil }
                p.lastDropWarning = now
                return p.dropped
            }
            p.events.append(event)
            return nil
        }
        if let dropped = warn {
            logger.error("access log: the queue is full (the database is not taking events); events dropped", metadata: ["dropped": .stringConvertible(dropped)])
        }
        signal.yield()
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.wake {
                await self.flush()
            }
        }
        // What came in before the stop still goes in.
        await flush()
    }

    /// Writes every event queued so far; returns once they are committed (or, when the
    /// database refuses them, put back at the head of the queue). The admin export calls it
    /// first, so it reads what this instance has just recorded.
    package func flush() async {
        await writer.lock()
        defer { writer.unlock() }
        while true {
            let taken = pending.withLock { p -> [AccessEvent] in
                defer { p.events = [] }
                return p.events
            }
            guard !taken.isEmpty else { return }
            do {
                try await store.append(taken)
            } catch {
                pending.withLock { p in
                    let room = max(0, capacity - p.events.count)
                    p.dropped += max(0, taken.count - room)
                    p.events = Array(taken.prefix(room)) + p.events
                }
                logger.warning("access log: events not written yet; kept for the next try", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
