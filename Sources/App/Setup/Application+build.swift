import Foundation
import Hummingbird
import Logging
import Scoring
import ServiceLifecycle

/// Wires the whole application; `loanrisk serve` and the tests call this same function, so
/// tests run the real app.
public func buildApplication(
    configuration: AppConfiguration, database: (any SQLDatabase)? = nil
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "loanrisk") { label in LogLineHandler(label: label) }
    logger.logLevel = configuration.logLevel
    // A database handed in stays its caller's to close; one opened here closes with the app.
    let owned = database == nil ? try await AppDatabase.open(configuration: configuration, logger: logger) : nil
    guard let database = database ?? owned else { throw SQLError.badURL("was not opened.") }
    let lifecycle = ModelLifecycle(store: RegistryStore(database: database))
    let defaultName = try await RegistryBootstrap.run(lifecycle: lifecycle, configuration: configuration, logger: logger)
    let registry = try await ModelRegistry(store: lifecycle.store, defaultName: defaultName, logger: logger)
    let metrics = AppMetrics(version: AppVersion.current)
    metrics.prepare(models: registry.all.map(\.name))
    registry.onSwap = { name, alias in metrics.modelSwapped(model: name, alias: alias) }
    let store = BatchStore(database: database)
    if owned != nil {
        // Another instance may be writing a recent batch's features into a shared database.
        try await store.clearAbandonedFeatureWrites(before: Date().addingTimeInterval(configuration.databaseURL == nil ? 0 : -600))
    }
    let views = try await Views(directory: configuration.viewsDirectory)

    let reasonCodes = BatchReasonCodes(store: store, audit: AuditStore(database: database), registry: registry, logger: logger)
    let journal = AuditJournal(
        directory: configuration.resolvedAuditJournalDirectory,
        database: AuditJournal.identity(databaseURL: configuration.databaseURL, databasePath: configuration.resolvedDatabasePath))
    let auditLog = AuditLog(store: AuditStore(database: database), journal: journal, logger: logger)
    let monitorStore = MonitorStore(database: database)
    let webhook = configuration.driftWebhookURL.map { url in
        DriftWebhook(
            settings: .init(url: url, attempts: configuration.driftWebhookAttempts, backoff: configuration.driftWebhookBackoff),
            store: monitorStore, metrics: metrics, logger: logger)
    }
    let monitor = TrafficMonitor(
        store: monitorStore,
        settings: .init(
            limits: .init(applicants: configuration.monitorWindowApplicants, age: Double(configuration.monitorWindowHours) * 3_600),
            minimumApplicants: configuration.monitorMinimumApplicants),
        metrics: metrics, webhook: webhook, logger: logger)
    let audit = AuditTrail(log: auditLog, metrics: metrics, monitor: monitor)
    let shadowStore = ShadowStore(database: database)
    let shadow = ShadowScorer(store: shadowStore, batches: store, logger: logger)
    let router = Router(context: AppRequestContext.self)
    let errorPages = ErrorPageMiddleware(views: views, registry: registry)
    // Every surface: metrics, 100-continue, security headers and an answer in the client's
    // kind for addresses no surface serves. (Bodies are bounded where they are read —
    // `SpooledBody`, `FormBody` — with the configured limits, not through the context.)
    router.add(middleware: EveryRequestMiddleware(metrics: metrics, unmatched: UnmatchedRouteAnswer(pages: errorPages)))

    // One route group per surface, each with its own error answers.
    let pages = router.group().add(middleware: CSRFMiddleware()).add(middleware: errorPages)
    let api = router.group("api/v1").add(middleware: ProblemDetailsMiddleware())
    let v2 = router.group("v2").add(middleware: InferenceErrorMiddleware())
    let machine = router.group().add(middleware: ProblemDetailsMiddleware())
    let ops = router.group()
    // Static files are a surface of their own: the file middleware answers what its catch-all
    // route leaves unfound, and no other request passes through it.
    let files = router.group("static")
        .add(middleware: FileMiddleware(configuration.publicDirectory.path, urlBasePath: "/static", searchForIndexHtml: false, logger: logger))
    files.get("**") { _, _ -> Response in throw HTTPError(.notFound) }
    files.head("**") { _, _ -> Response in throw HTTPError(.notFound) }

    OpsController(registry: registry, database: database, metrics: metrics).addRoutes(to: ops)
    HomeController(registry: registry, store: store, views: views, configuration: configuration, shadow: shadow, reasonCodes: reasonCodes, metrics: metrics, monitor: monitor).addRoutes(to: pages)
    let reasons = ReasonsJobs(store: store, registry: registry, threads: configuration.threads, logger: logger)
    BatchController(registry: registry, store: store, views: views, jobs: reasons, threads: configuration.threads).addRoutes(to: pages)
    BatchRowController(registry: registry, store: store, views: views, audit: AuditStore(database: database)).addRoutes(to: pages)
    ReasonsController(store: store, jobs: reasons, registry: registry).addRoutes(to: pages)
    ModelController(registry: registry, views: views, configuration: configuration).addRoutes(to: pages)
    ApplicantController(registry: registry, views: views, audit: audit).addRoutes(to: pages)
    ChallengerController(registry: registry, shadow: shadowStore, views: views).addRoutes(to: pages)
    MonitoringController(registry: registry, store: monitorStore, settings: monitor.settings, views: views).addRoutes(to: pages)
    ApiController(registry: registry, configuration: configuration, audit: audit, shadow: shadow).addRoutes(to: api)
    let inference = InferenceCore(registry: registry, configuration: configuration, audit: audit, shadow: shadow)
    InferenceProtocolController(core: inference).addRoutes(to: v2)
    DocsController(registry: registry, views: views).addRoutes(pages: pages, machine: machine)
    if configuration.adminTokens.isEmpty {
        logger.notice("admin API off: set ADMIN_TOKEN to enable /admin/v1")
    } else {
        let admin = router.group("admin/v1").add(middleware: ProblemDetailsMiddleware()).add(middleware: AdminAuthMiddleware(tokens: configuration.adminTokens))
        AdminModelsController(lifecycle: lifecycle, registry: registry, shadow: shadowStore, maxBytes: configuration.maxUploadBytes, connections: configuration.connections).addRoutes(to: admin)
        AdminAuditController(store: AuditStore(database: database)).addRoutes(to: admin)
    }

    let retention = RetentionService(
        store: store, retentionDays: configuration.retentionDays, audit: AuditStore(database: database),
        auditRetentionDays: configuration.auditRetentionDays, monitor: monitorStore, logger: logger)
    // The database first: services stop in reverse order, so it closes after the last writes.
    var services: [any Service] = (owned as? any Service).map { [$0] } ?? []
    services += [
        auditLog, reasonCodes, shadow, retention, reasons, monitor,
        RegistrySyncService(
            registry: registry, lifecycle: lifecycle, watchDirectory: configuration.modelsWatch, changes: database.registryChanges(), logger: logger),
    ]
    if let webhook { services.append(webhook) }
    if let grpcPort = configuration.grpcPort {
        let grpc = GRPCInferenceService(core: inference, logger: logger)
        services.append(GRPCServerService(
            services: [grpc], host: configuration.hostname, port: grpcPort, maxRequestBytes: configuration.maxUploadBytes, logger: logger))
    }
    let app = Application(
        router: router,
        server: HTTPServerSetup.server(configuration.connections, logger: logger),
        configuration: HTTPServerSetup.configuration(configuration, logger: logger),
        services: services,
        eventLoopGroupProvider: HTTPServerSetup.eventLoops(configuration.connections),
        logger: logger)
    logger.info("loanrisk ready", metadata: ["model": .string(registry.defaultBundle.name), "models": .stringConvertible(registry.all.count)])
    return app
}
