import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The HTTP/1.1 server as `ConnectionSettings` says: header size bound by the decoder,
/// idle keep-alive connections closed by Hummingbird, the head and body deadlines by
/// `RequestDeadlines`, the connection bound by `ConnectionLimit`.
enum HTTPServerSetup {
    static func server(_ settings: ConnectionSettings, logger: Logger) -> HTTPServerBuilder {
        .http1(configuration: .init(
            additionalChannelHandlers: [RequestDeadlines(settings: settings, logger: logger)],
            idleTimeout: TimeAmount(settings.idleTimeout),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: settings.maxHeaderBytes, maxHeaderListSize: settings.maxHeaderBytes, maxHeaderFieldCount: 200)))
    }

    static func configuration(_ configuration: AppConfiguration, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(configuration.hostname, port: configuration.port), serverName: "LoanRisk",
            availableConnectionsDelegate: ConnectionLimit(maximum: configuration.connections.maxConnections, logger: logger))
    }
}
