import Foundation
import LoanRiskStorage
import Logging
import ServiceLifecycle

/// Everything the surfaces call, built once on one database: the model registry, the decision
/// service and what it feeds (audit log, traffic monitor, challenger), the batches, the form's
/// decisions, the reasons jobs — and the background work that keeps them (`services`, run by
/// the application beside the server and stopped in reverse order on SIGTERM).
package struct CoreServices: Sendable {
    package let database: any SQLDatabase
    package let lifecycle: ModelLifecycle
    package let registry: ModelRegistry
    package let metrics: AppMetrics
    package let batches: BatchStore
    package let audit: AuditStore
    package let decisions: DecisionService
    package let applicantDecisions: ApplicantDecisionStore
    /// Analysts' decisions on review cases, and the queue of undecided ones.
    package let reviews: ReviewStore
    package let shadow: ShadowStore
    package let monitor: MonitorStore
    package let monitorSettings: TrafficMonitor.Settings
    package let reasons: ReasonsJobs
    /// Who read, downloaded, deleted, decided or erased what (`access_event`).
    package let accessLog: AccessLog
    /// Erasure and access export by applicant id.
    package let erasure: ApplicantErasure
    /// People, teams, sessions and sign-in.
    package let accounts: AccountService
    /// API keys as stored, and the live ones in memory (what every machine request is checked against).
    package let apiKeys: APIKeyRing
    /// The background work, in start order.
    package let services: [any Service]

    /// Builds the core on `database` (already migrated): registers what start-up brings
    /// (`RegistryBootstrap`), loads the registry, and makes every store and service once.
    /// `ownsDatabase`: this process opened the database (not a test's shared one), so feature
    /// writes a stop cut short may be cleared.
    package static func start(database: any SQLDatabase, ownsDatabase: Bool, settings: CoreSettings, logger: Logger) async throws -> CoreServices {
        let lifecycle = ModelLifecycle(store: RegistryStore(database: database))
        let defaultName = try await RegistryBootstrap.run(lifecycle: lifecycle, modelsDirectory: settings.modelsDirectory, model: settings.model, logger: logger)
        let registry = try await ModelRegistry(store: lifecycle.store, defaultName: defaultName, logger: logger)
        let metrics = AppMetrics(version: AppVersion.current)
        metrics.prepare(models: registry.all.map(\.name))
        registry.onSwap = { name, alias in metrics.modelSwapped(model: name, alias: alias) }
        let batches = BatchStore(database: database)
        if ownsDatabase {
            // Another instance may be writing a recent batch's features into a shared database.
            try await batches.clearAbandonedFeatureWrites(before: Date().addingTimeInterval(settings.sharedDatabase ? -600 : 0))
        }
        let audit = AuditStore(database: database)
        let reasonCodes = BatchReasonCodes(store: batches, audit: audit, registry: registry, logger: logger)
        let auditLog = AuditLog(store: audit, journal: AuditJournal(directory: settings.auditJournal, database: settings.databaseIdentity), logger: logger)
        let monitorStore = MonitorStore(database: database)
        let webhook = settings.driftWebhook.map { DriftWebhook(settings: $0, store: monitorStore, metrics: metrics, logger: logger) }
        let monitor = TrafficMonitor(store: monitorStore, settings: settings.monitor, metrics: metrics, webhook: webhook, logger: logger)
        let trail = AuditTrail(log: auditLog, metrics: metrics, monitor: monitor)
        let shadowStore = ShadowStore(database: database)
        let shadow = ShadowScorer(store: shadowStore, batches: batches, logger: logger)
        let decisions = DecisionService(trail: trail, shadow: shadow, batches: batches, reasonCodes: reasonCodes, settings: settings.decisions)
        let applicantDecisions = ApplicantDecisionStore(database: database)
        let reasons = ReasonsJobs(store: batches, registry: registry, threads: settings.decisions.threads, logger: logger)
        let reviews = ReviewStore(database: database)
        let policy = try settings.accounts.commonPasswords.map { try PasswordPolicy.load(from: $0) } ?? PasswordPolicy(commonPasswords: [])
        let accounts = AccountService(
            database: database, policy: policy, hasher: PasswordHasher(cost: settings.accounts.bcryptCost),
            sessionIdle: settings.accounts.sessionIdle, sessionMax: settings.accounts.sessionMax)
        let accessLog = AccessLog(store: AccessLogStore(database: database), logger: logger)
        var retention = RetentionService(
            store: batches, applicants: applicantDecisions, retentionDays: settings.retentionDays, audit: audit,
            auditRetentionDays: settings.auditRetentionDays, reviews: reviews, monitor: monitorStore, logger: logger)
        retention.accessLog = accessLog.store
        retention.accessRetentionDays = settings.accessRetentionDays
        retention.shadow = shadowStore
        retention.shadowRetentionDays = settings.shadowRetentionDays ?? settings.retentionDays
        let erasure = ApplicantErasure(
            database: database, registry: registry, auditRetentionDays: settings.auditRetentionDays, accessRetentionDays: settings.accessRetentionDays)
        var services: [any Service] = [
            accessLog, auditLog, reasonCodes, shadow, retention, reasons, monitor,
            RegistrySyncService(
                registry: registry, lifecycle: lifecycle, watchDirectory: settings.modelsWatch, changes: database.registryChanges(), logger: logger),
        ]
        if let webhook { services.append(webhook) }
        let apiKeys = APIKeyRing(store: APIKeyStore(database: database), defaultRatePerMinute: settings.apiKeyRatePerMinute)
        try await apiKeys.reload()
        services.append(APIKeySyncService(ring: apiKeys, logger: logger))
        return CoreServices(
            database: database, lifecycle: lifecycle, registry: registry, metrics: metrics, batches: batches, audit: audit,
            decisions: decisions, applicantDecisions: applicantDecisions, reviews: reviews, shadow: shadowStore, monitor: monitorStore,
            monitorSettings: monitor.settings, reasons: reasons, accessLog: accessLog, erasure: erasure, accounts: accounts, apiKeys: apiKeys, services: services)
    }
}

/// What the core reads from the configuration, and nothing else.
package struct CoreSettings: Sendable {
    /// `Data/models`: every bundle folder there is registered at start.
    package var modelsDirectory: URL
    /// `MODEL`: the default model, a name or a path.
    package var model: String
    /// `MODELS_WATCH`: a folder whose new models are registered as they appear.
    package var modelsWatch: URL?
    /// The database is shared with other instances (PostgreSQL).
    package var sharedDatabase: Bool
    package var decisions: DecisionService.Settings
    /// `AUDIT_JOURNAL_DIR`: where audit records wait, synced, while the database cannot take them.
    package var auditJournal: URL
    /// Names the database (never its credentials), so that a journal is replayed only into
    /// the database its records were meant for.
    package var databaseIdentity: String
    package var monitor: TrafficMonitor.Settings
    package var driftWebhook: DriftWebhook.Settings?
    /// `RETENTION_DAYS`, `AUDIT_RETENTION_DAYS`.
    package var retentionDays: Int
    package var auditRetentionDays: Int
    /// `ACCESS_LOG_RETENTION_DAYS`: the access log's events are kept this long.
    package var accessRetentionDays = 400
    /// `SHADOW_RETENTION_DAYS`: champion/challenger pairs are kept this long; nil: as long as
    /// uploads (`RETENTION_DAYS`), since they name applicants too.
    package var shadowRetentionDays: Int? = nil
    package var accounts = AccountSettings()
    /// `API_KEY_RATE_PER_MINUTE`: requests a minute per key and instance, for keys without a rate of their own.
    package var apiKeyRatePerMinute = 6_000

    package init(
        modelsDirectory: URL, model: String, modelsWatch: URL?, sharedDatabase: Bool, decisions: DecisionService.Settings,
        auditJournal: URL, databaseIdentity: String, monitor: TrafficMonitor.Settings, driftWebhook: DriftWebhook.Settings?, retentionDays: Int, auditRetentionDays: Int
    ) {
        self.modelsDirectory = modelsDirectory
        self.model = model
        self.modelsWatch = modelsWatch
        self.sharedDatabase = sharedDatabase
        self.decisions = decisions
        self.auditJournal = auditJournal
        self.databaseIdentity = databaseIdentity
        self.monitor = monitor
        self.driftWebhook = driftWebhook
        self.retentionDays = retentionDays
        self.auditRetentionDays = auditRetentionDays
    }
}
