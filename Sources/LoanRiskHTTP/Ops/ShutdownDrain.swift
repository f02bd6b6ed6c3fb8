import Foundation
import ServiceLifecycle
import Synchronization

/// The pause between "stop" and the server closing its connections: on SIGTERM `/readyz`
/// answers 503 at once, and the server keeps answering for `SHUTDOWN_DRAIN_SECONDS` while a
/// load balancer's health check takes it out of rotation (haproxy, a Kubernetes Service).
/// Without it, a balancer can send a request on a kept-alive connection at the moment the
/// server closes it (seen in tests/scaleout: one request in about 4,000 lost at a restart).
/// Run in a service group after the application, so it is the first to be shut down.
public final class ShutdownDrain: Service, Sendable {
    private let draining = Mutex(false)
    package let seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Whether the server is on its way out (readiness answers 503).
    package var isDraining: Bool { draining.withLock { $0 } }

    public func run() async throws {
        try? await gracefulShutdown()
        draining.withLock { $0 = true }
        if seconds > 0 { try? await Task.sleep(for: .milliseconds(Int(seconds * 1_000))) }
    }
}
