import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LoanRiskCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The HTTP/1.1 server as `ConnectionSettings` says: header size bound by the decoder,
/// idle keep-alive connections closed by Hummingbird, the head and body deadlines by
/// `RequestDeadlines`, the connection bound by `ConnectionLimit`; with `tls`, all of it inside
/// TLS (HummingbirdTLS puts swift-nio-ssl's handler first on each connection, so the deadlines,
/// limits and `100 Continue` see the same HTTP they see without it).
package enum HTTPServerSetup {
    package static func server(_ settings: ConnectionSettings, tls: ServerTLS? = nil, logger: Logger) throws -> HTTPServerBuilder {
        let http = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [RequestDeadlines(settings: settings, logger: logger)],
            idleTimeout: TimeAmount(settings.idleTimeout),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: settings.maxHeaderBytes, maxHeaderListSize: settings.maxHeaderBytes, maxHeaderFieldCount: 200)))
        guard let tls else { return http }
        return try .tls(http, tlsConfiguration: tls.http)
    }

    /// The event loops for `settings.eventLoopThreads`: one group per thread count for the
    /// process's life, as NIO's own singleton is, so servers built again (tests, a restart
    /// in process) reuse its threads rather than leave idle ones behind.
    package static func eventLoops(_ settings: ConnectionSettings) -> EventLoopGroupProvider {
        .shared(groups.withLock { groups in
            if let group = groups[settings.eventLoopThreads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: settings.eventLoopThreads)
            groups[settings.eventLoopThreads] = group
            return group
        })
    }

    private static let groups = Mutex<[Int: MultiThreadedEventLoopGroup]>([:])

    package static func configuration(hostname: String, port: Int, connections: ConnectionSettings, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(hostname, port: port), serverName: "LoanRisk",
            availableConnectionsDelegate: ConnectionLimit(maximum: connections.maxConnections, logger: logger))
    }
}
