import Foundation
import Hummingbird
import Logging
import Scoring

/// Wires the whole application; `loanrisk serve` and the tests call this same function, so
/// tests run the real app.
public func buildApplication(
    configuration: AppConfiguration, database: AppDatabase? = nil
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "loanrisk")
    logger.logLevel = configuration.logLevel
    let registry = try ModelRegistry(modelsDirectory: configuration.modelsDirectory, defaultModel: configuration.model)
    let database = try database ?? AppDatabase.open(path: configuration.resolvedDatabasePath)
    let store = BatchStore(database: database)
    let views = try await Views(directory: configuration.viewsDirectory)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: UploadLimitMiddleware(limit: configuration.maxUploadBytes))
    router.add(middleware: CSRFMiddleware())
    router.add(middleware: ErrorPageMiddleware(views: views, registry: registry))
    router.add(middleware: FileMiddleware(configuration.publicDirectory.path, urlBasePath: "/static", searchForIndexHtml: false, logger: logger))
    OpsController(registry: registry, database: database).addRoutes(to: router)
    HomeController(registry: registry, store: store, views: views, configuration: configuration).addRoutes(to: router)
    let reasons = ReasonsJobs(store: store, registry: registry, threads: configuration.threads, logger: logger)
    BatchController(registry: registry, store: store, views: views, jobs: reasons, threads: configuration.threads).addRoutes(to: router)
    BatchRowController(registry: registry, store: store, views: views).addRoutes(to: router)
    ReasonsController(store: store, jobs: reasons, registry: registry).addRoutes(to: router)
    ModelController(registry: registry, views: views, configuration: configuration).addRoutes(to: router)
    ApplicantController(registry: registry, views: views).addRoutes(to: router)
    ApiController(registry: registry, configuration: configuration).addRoutes(to: router)
    InferenceProtocolController(registry: registry, configuration: configuration).addRoutes(to: router)
    DocsController(registry: registry, views: views).addRoutes(to: router)

    let retention = RetentionService(store: store, retentionDays: configuration.retentionDays, logger: logger)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: "LoanRisk"),
        services: [retention, reasons],
        logger: logger)
    logger.info("loanrisk ready", metadata: ["model": .string(registry.defaultBundle.name), "models": .stringConvertible(registry.all.count)])
    return app
}
