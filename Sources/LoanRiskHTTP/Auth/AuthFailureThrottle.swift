import Foundation
import Synchronization

/// Counts wrong keys per client address: past `limit` in one `window`, every key that
/// address presents is refused with a 429 until the window ends — so keys cannot be guessed
/// at the server's speed. Only wrong keys count, not requests without any (a client that
/// forgot its key guesses nothing). The table is bounded: past `maxAddresses`, windows that
/// have ended are dropped, and if none has, the oldest are.
package final class AuthFailureThrottle: Sendable {
    private struct Window {
        var start: Date
        var failures: Int
    }

    package let limit: Int
    package let window: TimeInterval
    package let maxAddresses: Int
    private let windows = Mutex([String: Window]())

    package init(limit: Int = 20, window: TimeInterval = 60, maxAddresses: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.maxAddresses = maxAddresses
    }

    /// Seconds until `address` may try again, or nil when it may now.
    package func blocked(_ address: String, now: Date) -> Int? {
        windows.withLock { all in
            guard let w = all[address], w.failures >= limit else { return nil }
            let left = w.start.addingTimeInterval(window).timeIntervalSince(now)
            guard left > 0 else {
                all[address] = nil
                return nil
            }
            return max(1, Int(left.rounded(.up)))
        }
    }

    /// Counts one wrong key from `address`.
    package func failed(_ address: String, now: Date) {
        windows.withLock { all in
            var w = all[address] ?? Window(start: now, failures: 0)
            if now.timeIntervalSince(w.start) >= window { w = Window(start: now, failures: 0) }
            w.failures += 1
            all[address] = w
            if all.count > maxAddresses {
                all = all.filter { now.timeIntervalSince($0.value.start) < window }
                while all.count > maxAddresses, let oldest = all.min(by: { $0.value.start < $1.value.start }) { all[oldest.key] = nil }
            }
        }
    }
}
