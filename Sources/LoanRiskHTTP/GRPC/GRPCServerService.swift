import GRPCCore
import GRPCNIOTransportHTTP2
import LoanRiskCore
import Logging
import ServiceLifecycle

/// The gRPC server on its own port (`GRPC_PORT`), run as one of the app's services: it starts
/// with the app and, on SIGTERM, stops accepting calls and finishes those under way.
struct GRPCServerService: Service {
    let server: GRPCServer<HTTP2ServerTransport.Posix>
    let logger: Logger

    /// Listens on `host` (an IPv4 or IPv6 address; `localhost` is 127.0.0.1) and `port`, taking
    /// requests as large as `maxRequestBytes` (the REST upload limit: gRPC's own default is 4 MiB);
    /// over TLS with `tls` (`TLS_CERT_PATH`), plaintext without.
    init(
        services: [any RegistrableRPCService], interceptors: [any ServerInterceptor], host: String, port: Int, maxRequestBytes: Int, tls: ServerTLS?,
        logger: Logger
    ) {
        let address: GRPCNIOTransportCore.SocketAddress =
            host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host == "localhost" ? "127.0.0.1" : host, port: port)
        let transport = HTTP2ServerTransport.Posix(
            address: address, transportSecurity: tls?.grpc ?? .plaintext,
            config: .defaults { $0.rpc.maxRequestPayloadSize = maxRequestBytes })
        server = GRPCServer(transport: transport, services: services, interceptors: interceptors)
        self.logger = logger
    }

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                let address = try await server.transport.listeningAddress
                logger.notice("gRPC inference listening", metadata: ["address": .stringConvertible(address)])
            }
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}
