import Dispatch

/// Runs CPU-bound work (explanations) on a Dispatch thread. Swift concurrency's cooperative
/// pool has one thread per core and every request shares it: a page that explains rows, or
/// the reasons file's chunks, must not hold one of those threads while they compute.
package enum Detached {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Result { try work() }) }
        }
    }

    package static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
        }
    }
}
