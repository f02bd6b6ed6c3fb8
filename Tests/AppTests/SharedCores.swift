import Synchronization
import Testing

/// Runs at most `width` of the app's tests at once. Each starts a whole server (its event
/// loops, services, a database) and many load it; all ~280 at once on CI's two cores made
/// every test take minutes of wall time, and the timeouts a real client has (an HTTP
/// deadline, SQLite's wait for a lock) then failed tests that are right.
struct SharedCores: SuiteTrait, TestTrait, TestScoping {
    static let width = 4
    private static let slots = Slots(width)

    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // The suite's own scope holds no slot: its tests take theirs.
        guard testCase != nil else { return try await function() }
        await Self.slots.acquire()
        defer { Self.slots.release() }
        try await function()
    }

    /// A counting semaphore for tasks: waiters resume in the order they came.
    private final class Slots: Sendable {
        private let state: Mutex<(free: Int, waiting: [CheckedContinuation<Void, Never>])>

        init(_ count: Int) { state = Mutex((free: count, waiting: [])) }

        func acquire() async {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let granted = state.withLock { state -> Bool in
                    guard state.free > 0 else { state.waiting.append(waiter); return false }
                    state.free -= 1
                    return true
                }
                if granted { waiter.resume() }
            }
        }

        func release() {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard !state.waiting.isEmpty else { state.free += 1; return nil }
                return state.waiting.removeFirst()
            }
            next?.resume()
        }
    }
}

extension Trait where Self == SharedCores {
    /// The app's tests share the machine's cores: a few at a time (`SharedCores`).
    static var sharingTheCores: Self { SharedCores() }
}
