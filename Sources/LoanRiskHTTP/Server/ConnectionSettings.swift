import Foundation
import LoanRiskCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How long a connection may take over each part of a request, how many may be open, and
/// where large bodies wait while they arrive. Read from the environment with the other
/// settings; the defaults suit a server facing browsers and other systems directly.
///
/// Why each exists: a client that opens a connection and sends nothing, or sends its
/// headers or body a byte at a time, otherwise holds a socket, a task and the bytes it has
/// sent for as long as it likes, and enough of them exhaust the server's descriptors or
/// memory while every ordinary request waits.
public struct ConnectionSettings: Sendable, Equatable {
    /// `IDLE_TIMEOUT_SECONDS`: a kept-alive connection with no request in flight is closed
    /// after this long (default 30).
    public var idleTimeout: Duration = .seconds(30)
    /// `HEAD_TIMEOUT_SECONDS`: from a request's first byte, its request line and headers must
    /// have arrived within this long, or it is answered 408 and closed (default 10).
    public var headTimeout: Duration = .seconds(10)
    /// `BODY_TIMEOUT_SECONDS`: the window over which a body's rate is judged; a body that
    /// sends nothing for this long while the server waits for it is dropped (default 30).
    public var bodyWindow: Duration = .seconds(30)
    /// `BODY_MIN_BYTES_PER_SECOND`: the least a body must average over each window while the
    /// server waits for it (default 1,024: a phone on a poor connection sends far more).
    public var bodyMinimumRate = 1_024
    /// `MAX_CONNECTIONS`: connections open at once; beyond it new ones wait in the listen
    /// backlog until one closes (default: the descriptor limit less room for the database,
    /// models and spooled uploads, at most 10,000).
    public var maxConnections = ConnectionSettings.defaultMaxConnections()
    /// `MAX_HEADER_KB`: the request line and headers together (default 32 KiB; 431 beyond).
    public var maxHeaderBytes = 32 * 1_024
    /// `UPLOAD_SPOOL_DIR`: where bodies larger than `memoryBodyBytes` wait, in files deleted
    /// as they are opened, so nothing outlives the request (default: the system's temporary folder).
    public var spoolDirectory = URL(fileURLWithPath: NSTemporaryDirectory())
    /// Bytes of a body held in memory before the rest goes to a spool file.
    public var memoryBodyBytes = 256 * 1_024
    /// `EVENT_LOOP_THREADS`: the threads that read and write sockets (default: half the
    /// cores, at least one, counted as NIO counts them, so a container's CPU limit counts).
    /// Handlers run on Swift's concurrency pool, one thread per core, so a socket thread per
    /// core as well puts two busy threads on every core; on 2 cores one event loop answered
    /// 20–30 % more scored requests a second (bench/README.md).
    public var eventLoopThreads = max(1, System.coreCount / 2)

    public init() {}


    /// The soft descriptor limit less 256 kept for everything that is not a client
    /// connection, within 64...10,000.
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
            let got = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #else
            let got = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard got == 0 else { return 1_024 }
        // RLIM_INFINITY is all ones; anything that large means "no limit" here.
        let soft = limit.rlim_cur >= 1 << 40 ? 10_256 : Int(clamping: limit.rlim_cur)
        return min(10_000, max(64, soft - 256))
    }
}
