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
    configuration: AppConfiguration, database: (any SQLDatabase)? = nil
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "loanrisk") { label in LogLineHandler(label: label) }
    logger.logLevel = configuration.logLevel
    // A database handed in stays its caller's to close; one opened here closes with the app.
    let owned = database == nil ? try await AppDatabase.open(configuration: configuration, logger: logger) : nil
    guard let database = database ?? owned else { throw SQLError.badURL("was not opened.") }
    let core = try await CoreServices.start(database: database, ownsDatabase: owned != nil, settings: configuration.core, logger: logger)
    let views = try await Views(directory: configuration.viewsDirectory)
    let router = HTTPSurfaces.router(core: core, views: views, settings: configuration.http, logger: logger)

    // The database first: services stop in reverse order, so it closes after the last writes.
    var services: [any Service] = (owned as? any Service).map { [$0] } ?? []
    services += core.services
    if let grpcPort = configuration.grpcPort {
        services.append(HTTPSurfaces.grpc(
            core: core, host: configuration.hostname, port: grpcPort, maxRequestBytes: configuration.maxUploadBytes, adminTokens: configuration.adminTokens,
            logger: logger))
    }
    let app = Application(
        router: router,
        server: HTTPServerSetup.server(configuration.connections, logger: logger),
        configuration: HTTPServerSetup.configuration(
            hostname: configuration.hostname, port: configuration.port, connections: configuration.connections, logger: logger),
        services: services,
        eventLoopGroupProvider: HTTPServerSetup.eventLoops(configuration.connections),
        logger: logger)
    logger.info("loanrisk ready", metadata: ["model": .string(core.registry.defaultBundle.name), "models": .stringConvertible(core.registry.all.count)])
    return app
}
