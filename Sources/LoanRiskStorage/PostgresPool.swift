import Logging
import PostgresNIO
import Synchronization

/// The postgres-nio client the database leases connections from, with the task that runs it.
/// After an outage it is replaced by a fresh one: the old pool retries connecting with a
/// backoff that has grown by then (up to a minute), while a fresh one connects at once. The
/// old one is closed a while later, so whatever still runs on it finishes first.
package final class PostgresPool: Sendable {
    private struct State {
        package var client: PostgresClient
        package var runner: Task<Void, Never>
        package var retiring: [Task<Void, Never>] = []
    }

    private let configuration: PostgresClient.Configuration
    private let logger: Logger
    private let retireAfter: Duration
    private let state: Mutex<State>

    package init(configuration: PostgresClient.Configuration, logger: Logger, retireAfter: Duration = .seconds(30)) {
        self.configuration = configuration
        self.logger = logger
        self.retireAfter = retireAfter
        state = Mutex(Self.started(configuration, logger: logger))
    }

    /// The client to lease from now.
    package var client: PostgresClient { state.withLock { $0.client } }

    /// Replaces the client by a fresh one; the old one closes after `retireAfter`.
    package func renew() {
        let fresh = Self.started(configuration, logger: logger)
        let retireAfter = self.retireAfter
        state.withLock { s in
            let old = s.runner
            s.retiring.append(Task {
                try? await Task.sleep(for: retireAfter)
                old.cancel()
                await old.value
            })
            s.client = fresh.client
            s.runner = fresh.runner
        }
    }

    /// Closes every client: the current one and those retiring, at once. A retired client is
    /// given `retiredCloseLimit` to close: one replaced during an outage can hold a lease that
    /// never ends, and waiting for it held a SIGTERM past the platform's 30 s grace (seen in
    /// tests/scaleout after a 20 s outage under load); the process is exiting, so it is left.
    package func close() async {
        let (current, retiring) = state.withLock { s in (s.runner, s.retiring) }
        current.cancel()
        for task in retiring { task.cancel() }
        await current.value
        guard !retiring.isEmpty else { return }
        // Whichever comes first: every retired client closed, or the limit. (A task group
        // would wait for its waiting child however long, since awaiting a task's value does
        // not end on cancellation.)
        let limit = Self.retiredCloseLimit
        let resumed = Mutex(false)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeOnce = { @Sendable in
                if resumed.withLock({ done in defer { done = true }; return !done }) { continuation.resume() }
            }
            Task {
                for task in retiring { await task.value }
                resumeOnce()
            }
            Task {
                try? await Task.sleep(for: limit)
                resumeOnce()
            }
        }
    }

    /// How long a shutdown waits for the clients an outage replaced.
    static let retiredCloseLimit: Duration = .seconds(5)

    /// A client with its run loop started at once, so it runs before its first lease.
    private static func started(_ configuration: PostgresClient.Configuration, logger: Logger) -> State {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return State(client: client, runner: Task.immediate { await client.run() })
    }
}
