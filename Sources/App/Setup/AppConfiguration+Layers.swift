import LoanRiskCore
import LoanRiskHTTP

extension AppConfiguration {
    /// What the core reads.
    package var core: CoreSettings {
        var settings = CoreSettings(
            modelsDirectory: modelsDirectory, model: model, modelsWatch: modelsWatch, sharedDatabase: databaseURL != nil,
            decisions: .init(threads: threads, applicantLimit: apiBatchLimit, monitorWindowApplicants: monitorWindowApplicants),
            auditJournal: resolvedAuditJournalDirectory,
            databaseIdentity: AuditJournal.identity(databaseURL: databaseURL, databasePath: resolvedDatabasePath),
            monitor: .init(
                limits: .init(applicants: monitorWindowApplicants, age: Double(monitorWindowHours) * 3_600), minimumApplicants: monitorMinimumApplicants),
            driftWebhook: driftWebhookURL.map { .init(url: $0, attempts: driftWebhookAttempts, backoff: driftWebhookBackoff) },
            retentionDays: retentionDays, auditRetentionDays: auditRetentionDays)
        settings.accessRetentionDays = accessRetentionDays
        settings.shadowRetentionDays = shadowRetentionDays
        settings.accounts = accounts.core(root: root)
        settings.apiKeyRatePerMinute = apiKeyRatePerMinute
        return settings
    }

    /// What the HTTP surfaces read.
    var http: HTTPSurfaces.Settings {
        var settings = HTTPSurfaces.Settings(
            maxUploadBytes: maxUploadBytes, retentionDays: retentionDays, samplesDirectory: samplesDirectory, modelsDirectory: modelsDirectory,
            publicDirectory: publicDirectory, adminTokens: adminTokens, connections: connections, threads: threads,
            origin: RequestOrigin(listenerTLS: tls != nil, trustedProxies: trustedProxies))
        settings.authenticationRequired = accounts.required
        settings.metricsAccess = accounts.metrics
        settings.oidc = oidc
        return settings
    }
}
