import Foundation
import Hummingbird
import LoanRiskCore
import Logging
import ServiceLifecycle

/// Every HTTP surface on one router: one route group per surface, each with its own
/// middleware and error answers — pages, `/api/v1`, `/v2`, `/admin/v1`, ops, static files.
/// Each surface parses its wire form, calls the core, and renders.
package enum HTTPSurfaces {
    /// What the surfaces read from the configuration, and nothing else.
    package struct Settings: Sendable {
        package var maxUploadBytes: Int
        package var retentionDays: Int
        package var samplesDirectory: URL
        package var modelsDirectory: URL
        package var publicDirectory: URL
        package var adminTokens: [AdminToken]
        package var connections: ConnectionSettings
        package var threads: Int
        /// `AUTH`: whether pages and APIs ask who is calling (off only on loopback).
        package var authenticationRequired = true
        /// The drain `loanrisk serve` runs before stopping (nil in tests that build the app alone).
        package var drain: ShutdownDrain?
        /// `METRICS_TOKEN`: who may read `/metrics`.
        package var metricsAccess: MetricsAccess = .refused
        /// Single sign-on with an OpenID provider; nil: none (no button on the sign-in page).
        package var oidc: OIDCSettings?
        /// Whether our listener speaks TLS and whose forwarding headers are believed.
        package var origin: RequestOrigin

        package init(
            maxUploadBytes: Int, retentionDays: Int, samplesDirectory: URL, modelsDirectory: URL, publicDirectory: URL, adminTokens: [AdminToken],
            connections: ConnectionSettings, threads: Int, origin: RequestOrigin = RequestOrigin(listenerTLS: false, trustedProxies: .none)
        ) {
            self.maxUploadBytes = maxUploadBytes
            self.retentionDays = retentionDays
            self.samplesDirectory = samplesDirectory
            self.modelsDirectory = modelsDirectory
            self.publicDirectory = publicDirectory
            self.adminTokens = adminTokens
            self.connections = connections
            self.threads = threads
            self.origin = origin
        }
    }

    package static func router(core: CoreServices, views: Views, settings: Settings, logger: Logger) -> Router<AppRequestContext> {
        let registry = core.registry
        let router = Router(context: AppRequestContext.self)
        let errorPages = ErrorPageMiddleware(views: views)
        // Every surface: metrics, 100-continue, security headers and an answer in the client's
        // kind for addresses no surface serves. (Bodies are bounded where they are read —
        // `SpooledBody`, `FormBody` — with the configured limits, not through the context.)
        router.add(middleware: EveryRequestMiddleware(metrics: core.metrics, unmatched: UnmatchedRouteAnswer(pages: errorPages), origin: settings.origin, accessLog: core.accessLog))

        // Pages: the sign-in and setup pages answer anyone; every other page needs a session
        // whose role allows the route (`PageAccess`), and the admin pages an admin's.
        let publicPages = router.group().add(middleware: CSRFMiddleware()).add(middleware: errorPages)
        let sessions = SessionMiddleware(sessions: core.accounts.sessions, required: settings.authenticationRequired)
        let pages = router.group().add(middleware: CSRFMiddleware()).add(middleware: errorPages).add(middleware: sessions)
        // Machine surfaces: a key (or the bootstrap admin token) with the surface's scope.
        let auth = machineAuth(core, settings: settings)
        let defaultModel: @Sendable () -> String = { registry.defaultName }
        func guarded(_ surface: MachineAuthMiddleware.Surface) -> MachineAuthMiddleware {
            MachineAuthMiddleware(auth: auth, surface: surface, required: settings.authenticationRequired, defaultModel: defaultModel)
        }
        let api = router.group("api/v1").add(middleware: ProblemDetailsMiddleware()).add(middleware: guarded(.api))
        let v2 = router.group("v2").add(middleware: InferenceErrorMiddleware()).add(middleware: guarded(.inference))
        // What describes the API: a signed-in browser or any valid key.
        let machine = router.group().add(middleware: ProblemDetailsMiddleware()).add(middleware: DocumentAccessMiddleware(
            sessions: core.accounts.sessions, required: settings.authenticationRequired, auth: auth))
        let ops = router.group()
        // Static files are a surface of their own: the file middleware answers what its catch-all
        // route leaves unfound, and no other request passes through it.
        let files = router.group("static")
            .add(middleware: FileMiddleware(settings.publicDirectory.path, urlBasePath: "/static", searchForIndexHtml: false, logger: logger))
        files.get("**") { _, _ -> Response in throw HTTPError(.notFound) }
        files.head("**") { _, _ -> Response in throw HTTPError(.notFound) }

        OpsController(registry: registry, database: core.database, metrics: core.metrics, metricsAccess: settings.metricsAccess, drain: settings.drain).addRoutes(to: ops)
        let oidc = settings.oidc.map { OIDCSignInController(settings: $0, accounts: core.accounts, errorPages: errorPages, logger: logger) }
        oidc?.addRoutes(to: publicPages)
        let signIn = SignInController(accounts: core.accounts, views: views, singleSignOn: oidc?.link)
        signIn.addPublicRoutes(to: publicPages)
        signIn.addSessionRoutes(to: pages)
        AdminPeopleController(accounts: core.accounts, views: views).addRoutes(to: pages)
        addAdminPages(to: pages, core: core, views: views)
        HomeController(
            registry: registry, store: core.batches, views: views, maxUploadBytes: settings.maxUploadBytes, retentionDays: settings.retentionDays,
            samplesDirectory: settings.samplesDirectory, connections: settings.connections, decisions: core.decisions, metrics: core.metrics
        ).addRoutes(to: pages)
        let savedViews = SavedViewStore(database: core.database)
        BatchController(
            registry: registry, store: core.batches, views: views, jobs: core.reasons, reviews: core.reviews, threads: settings.threads,
            savedViews: savedViews
        ).addRoutes(to: pages)
        SavedViewsController(batches: core.batches, store: savedViews).addRoutes(to: pages)
        BatchRowController(registry: registry, store: core.batches, views: views, reviews: core.reviews).addRoutes(to: pages)
        ReviewController(registry: registry, reviews: core.reviews, batches: core.batches, applicants: core.applicantDecisions, views: views).addRoutes(to: pages)
        ReasonsController(store: core.batches, jobs: core.reasons, registry: registry).addRoutes(to: pages)
        ModelController(registry: registry, views: views, samplesDirectory: settings.samplesDirectory).addRoutes(to: pages)
        ApplicantController(registry: registry, views: views, decisions: core.decisions, store: core.applicantDecisions, reviews: core.reviews).addRoutes(to: pages)
        ApplicantReviewController(registry: registry, store: core.applicantDecisions, reviews: core.reviews).addRoutes(to: pages)
        ChallengerController(registry: registry, shadow: core.shadow, views: views).addRoutes(to: pages)
        MonitoringController(registry: registry, store: core.monitor, settings: core.monitorSettings, views: views).addRoutes(to: pages)
        // Under /admin/: an admin's session (PageAccess).
        AccessLogPagesController(log: core.accessLog, erasure: core.erasure, views: views, retentionDays: core.erasure.accessRetentionDays)
            .addAdminPages(to: pages)
        ApiController(registry: registry, decisions: core.decisions, maxUploadBytes: settings.maxUploadBytes, connections: settings.connections).addRoutes(to: api)
        InferenceProtocolController(core: inference(core), maxUploadBytes: settings.maxUploadBytes, connections: settings.connections).addRoutes(to: v2)
        DocsController(registry: registry, views: views).addRoutes(pages: pages, machine: machine)
        // Answers admin keys (and `ADMIN_TOKEN`, when set) only.
        let admin = router.group("admin/v1").add(middleware: ProblemDetailsMiddleware()).add(middleware: guarded(.admin))
        AdminModelsController(
            lifecycle: core.lifecycle, registry: registry, shadow: core.shadow, maxBytes: settings.maxUploadBytes, connections: settings.connections
        ).addRoutes(to: admin)
        AdminAuditController(store: core.audit).addRoutes(to: admin)
        AdminReviewsController(reviews: core.reviews).addRoutes(to: admin)
        AdminKeysController(ring: core.apiKeys).addRoutes(to: admin)
        AdminAccessController(log: core.accessLog, erasure: core.erasure).addRoutes(to: admin)
        return router
    }

    /// The admin pages of this part (`/admin/keys`), for the lead to mount on the pages group
    /// that only admins' sessions reach.
    package static func addAdminPages(to pages: some RouterMethods<AppRequestContext>, core: CoreServices, views: Views) {
        KeysPageController(ring: core.apiKeys, views: views).addRoutes(to: pages)
    }

    /// The key check of the HTTP surfaces (gRPC has its own, on the same keys): one for all
    /// three, so the wrong-guess throttle counts an address's guesses across them.
    private static func machineAuth(_ core: CoreServices, settings: Settings) -> MachineAuth {
        MachineAuth(ring: core.apiKeys, adminTokens: settings.adminTokens)
    }

    /// The Open Inference Protocol over gRPC on `host`:`port`, answered by the same code as `/v2`.
    /// Every call needs a key with scope `grpc` (`authorization: Bearer <key>` metadata) unless
    /// `authRequired` is false; with `tls`, gRPC over TLS on the same certificate as HTTP.
    package static func grpc(
        core: CoreServices, host: String, port: Int, maxRequestBytes: Int, tls: ServerTLS? = nil, adminTokens: [AdminToken], authRequired: Bool = true,
        logger: Logger
    ) -> any Service {
        GRPCServerService(
            services: [GRPCInferenceService(core: inference(core), logger: logger)],
            interceptors: [GRPCAuthInterceptor(auth: MachineAuth(ring: core.apiKeys, adminTokens: adminTokens), required: authRequired, logger: logger)],
            host: host, port: port, maxRequestBytes: maxRequestBytes, tls: tls, logger: logger)
    }

    private static func inference(_ core: CoreServices) -> InferenceCore {
        InferenceCore(registry: core.registry, decisions: core.decisions)
    }
}
