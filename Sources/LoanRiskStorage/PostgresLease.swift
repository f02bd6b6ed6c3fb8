import PostgresNIO
import Synchronization

/// A pooled connection for `body`, waited for only `wait` before asking whether PostgreSQL
/// can be reached at all. When it cannot, the wait is abandoned and the caller gets
/// `DatabaseUnavailable` (after `wait` and one probe: well within a second when the server is
/// down); when it can, the pool is only busy and the wait goes on. A body that has begun is
/// never interrupted.
package enum PostgresLease {
    package static func run<T: Sendable>(
        from client: PostgresClient, wait: Duration, verify: @escaping @Sendable () async -> DatabaseUnavailable?,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let phase = Phase()
        do {
            return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
                group.addTask {
                    .done(try await client.withConnection { connection in
                        // Abandoned meanwhile: the connection goes back unused.
                        guard phase.begin() else { throw CancellationError() }
                        return try await body(connection)
                    })
                }
                group.addTask {
                    try? await Task.sleep(for: wait)
                    return .waited
                }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .done(let value):
                        group.cancelAll()
                        return value
                    case .waited:
                        guard phase.isWaiting else { continue }
                        if let outage = await verify(), phase.abandon() {
                            group.cancelAll()
                            throw outage
                        }
                    }
                }
                throw CancellationError()
            }
        } catch let outage as DatabaseUnavailable {
            throw outage
        } catch where !phase.began && !(error is CancellationError) && !Task.isCancelled {
            // The pool gave no connection at all (closed, or its circuit breaker open).
            throw DatabaseUnavailable(reason: PostgresFailure.words(error))
        }
    }
}

private enum Outcome<T: Sendable>: Sendable {
    case done(T)
    case waited
}

/// Where a lease stands: waiting for the pool, its body begun, or abandoned. The body and
/// the abandonment race for the first move, so exactly one of them happens.
private final class Phase: Sendable {
    private enum Value { case waiting, began, abandoned }
    private let value = Mutex(Value.waiting)

    package func begin() -> Bool { move(to: .began) }
    package func abandon() -> Bool { move(to: .abandoned) }
    package var isWaiting: Bool { value.withLock { $0 == .waiting } }
    package var began: Bool { value.withLock { $0 == .began } }

    private func move(to next: Value) -> Bool {
        value.withLock { current in
            guard current == .waiting else { return false }
            current = next
            return true
        }
    }
}
