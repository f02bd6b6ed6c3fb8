import Foundation
import Hummingbird
import LoanRiskCore
import LoanRiskHTTP
import LoanRiskStorage
import Logging
import ServiceLifecycle

/// Wires the whole application; `loanrisk serve` and the tests call this same function, so
/// tests run the real app. The layers are built in order — the database (migrated), the
/// core (`CoreServices`), the HTTP surfaces (`HTTPSurfaces`) — each handed only the settings
/// it reads; their background work runs as services beside the server.
public func buildApplication(
    configuration: AppConfiguration, database: (any SQLDatabase)? = nil, drain: ShutdownDrain? = nil
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "loanrisk") { label in LogLineHandler(label: label) }
    logger.logLevel = configuration.logLevel
    // A database handed in stays its caller's to close; one opened here closes with the app.
    let owned = database == nil ? try await AppDatabase.open(configuration: configuration, logger: logger) : nil
    guard let database = database ?? owned else { throw SQLError.badURL("was not opened.") }
    let core = try await CoreServices.start(database: database, ownsDatabase: owned != nil, settings: configuration.core, logger: logger)
    let views = try await Views(directory: configuration.viewsDirectory)
    var http = configuration.http
    http.drain = drain
    let router = HTTPSurfaces.router(core: core, views: views, settings: http, logger: logger)

    // The database first: services stop in reverse order, so it closes after the last writes.
    var services: [any Service] = (owned as? any Service).map { [$0] } ?? []
    services += core.services
    if let grpcPort = configuration.grpcPort {
        services.append(HTTPSurfaces.grpc(
            core: core, host: configuration.hostname, port: grpcPort, maxRequestBytes: configuration.maxUploadBytes, tls: configuration.tls,
            adminTokens: configuration.adminTokens, authRequired: configuration.accounts.required,
            logger: logger))
    }
    let app = Application(
        router: router,
        server: try HTTPServerSetup.server(configuration.connections, tls: configuration.tls, logger: logger),
        configuration: HTTPServerSetup.configuration(
            hostname: configuration.hostname, port: configuration.port, connections: configuration.connections, logger: logger),
        services: services,
        eventLoopGroupProvider: HTTPServerSetup.eventLoops(configuration.connections),
        logger: logger)
    try await announceSetupLink(core: core, configuration: configuration, logger: logger)
    logger.info("loanrisk ready", metadata: ["model": .string(core.registry.defaultBundle.name), "models": .stringConvertible(core.registry.all.count)])
    return app
}

/// While no account exists, logs the one-time link that creates the first admin: the one
/// secret this server ever writes to its log, valid until used (or until an account is made
/// with `loanrisk users create`), replaced by a new one at each start.
private func announceSetupLink(core: CoreServices, configuration: AppConfiguration, logger: Logger) async throws {
    guard configuration.accounts.required else {
        logger.warning("AUTH=off: pages and APIs do not ask who is calling; listening on loopback only")
        return
    }
    guard let token = try await core.accounts.setup.issueIfNoAccounts() else { return }
    let host = configuration.hostname == "0.0.0.0" || configuration.hostname == "::" ? "localhost" : configuration.hostname
    logger.notice("No accounts yet. Create the first admin (this link works once): http://\(host):\(configuration.port)/setup?token=\(token)")
}
