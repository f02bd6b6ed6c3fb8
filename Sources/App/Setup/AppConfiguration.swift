import Foundation
import LoanRiskCore
import LoanRiskHTTP
import Logging

/// Everything the server needs to start, read from the environment (12-factor) with
/// embedded defaults, so `loanrisk serve` runs as it is on a fresh clone.
public struct AppConfiguration: Sendable {
    /// `HOST`: the address to listen on (default 127.0.0.1; a PaaS sets 0.0.0.0).
    public var hostname = "127.0.0.1"
    /// `PORT` (default 8080).
    public var port = 8080
    /// `GRPC_PORT`: the port of the KServe v2 gRPC inference protocol, on the same `HOST`
    /// (unset or empty: no gRPC server; 0: any free port).
    public var grpcPort: Int?
    /// Folder holding `Views/`, `Public/` and `Data/` (`LOANRISK_ROOT`, default: the working directory).
    public var root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    /// `DATABASE_PATH` (default `loanrisk.sqlite` under the root).
    public var databasePath: String?
    /// `DATABASE_URL` (`postgres://user:password@host:port/database`): all state in that
    /// PostgreSQL instead of the SQLite file, so that several instances can share it.
    public var databaseURL: String?
    /// `MODEL`: the default model — a bundle name under Data/models, a bundle folder, or a
    /// bare LightGBM model.txt (default `lending-club`).
    public var model = "lending-club"
    /// `MAX_UPLOAD_MB`: the largest upload accepted (default 100).
    public var maxUploadMB = 100
    /// `API_BATCH_LIMIT`: the most applicants one JSON request may carry (default 10,000).
    public var apiBatchLimit = 10_000
    /// `RETENTION_DAYS`: batches and their uploaded files are deleted after this many days (default 7).
    public var retentionDays = 7
    /// `LOG_LEVEL` (default info).
    public var logLevel = Logger.Level.info
    /// `ADMIN_TOKEN`: bearer tokens for `/admin/v1`, as `label:token` pairs separated by commas
    /// (the label is who the registry and audit name), or one bare token (labelled "admin").
    /// Each is an admin key with every scope; unset, `/admin/v1` answers admin API keys
    /// only (`loanrisk keys create --scope admin`). Never logged.
    public var adminTokens: [AdminToken] = []
    /// `API_KEY_RATE_PER_MINUTE`: requests a minute each API key may make on one instance
    /// when the key has no rate of its own (default 6,000); over it, 429 with `Retry-After`.
    public var apiKeyRatePerMinute = 6_000
    /// `MODELS_WATCH`: a folder whose new bundle folders (or model files) are registered as
    /// they appear, never promoted (optional).
    public var modelsWatch: URL?
    /// `AUDIT_RETENTION_DAYS`: how long each decision's audit record is kept (default 760:
    /// Regulation B keeps adverse-action records 25 months), independent of `RETENTION_DAYS`.
    public var auditRetentionDays = 760
    /// `ACCESS_LOG_RETENTION_DAYS`: how long each access event is kept (default 400: over a
    /// year, for the yearly review of who saw what).
    public var accessRetentionDays = 400
    /// `SHADOW_RETENTION_DAYS`: how long champion/challenger pairs are kept; unset: as long as
    /// uploads (`RETENTION_DAYS`), since they name applicants too.
    public var shadowRetentionDays: Int?
    /// `AUDIT_JOURNAL_DIR`: where API, OIP and form answers' audit records wait while the
    /// database cannot take them (down, or not answering within a second), to be replayed into
    /// it when it answers again (default: `audit-journal` beside the SQLite file, which
    /// `DATABASE_PATH` places; with PostgreSQL too). Keep it on a disk that outlives the
    /// process.
    public var auditJournalDirectory: URL?
    /// `MONITOR_WINDOW_APPLICANTS` and `MONITOR_WINDOW_HOURS`: each model version's traffic
    /// window is its last this many scored applicants, no older than this many hours
    /// (default 1,000 and 24, whichever is smaller).
    public var monitorWindowApplicants = 1_000
    public var monitorWindowHours = 24
    /// `MONITOR_MIN_APPLICANTS`: a window smaller than this is shown but raises no drift
    /// event — PSI on a handful of applicants is noise (default 100).
    public var monitorMinimumApplicants = 100
    /// `DRIFT_WEBHOOK_URL`: where drift events are POSTed as JSON (optional).
    public var driftWebhookURL: String?
    /// `DRIFT_WEBHOOK_ATTEMPTS` (default 5) tries per event, the first retry after
    /// `driftWebhookBackoff` (1 s), each later one after twice the wait before.
    public var driftWebhookAttempts = 5
    public var driftWebhookBackoff: Duration = .seconds(1)
    /// Worker threads for scoring (default: all cores).
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// How the server treats slow, idle and abusive connections (`IDLE_TIMEOUT_SECONDS`,
    /// `HEAD_TIMEOUT_SECONDS`, `BODY_TIMEOUT_SECONDS`, `BODY_MIN_BYTES_PER_SECOND`,
    /// `MAX_CONNECTIONS`, `MAX_HEADER_KB`, `UPLOAD_SPOOL_DIR`).
    public var connections = ConnectionSettings()
    /// Sign-in, sessions and access (`AUTH`, `BCRYPT_COST`, `SESSION_*`, `METRICS_TOKEN`).
    public var accounts = AccountsConfiguration()
    /// `SHUTDOWN_DRAIN_SECONDS` (default 0): on SIGTERM, how long `/readyz` answers 503 while
    /// the server still serves, before it closes its connections (`ShutdownDrain`).
    public var shutdownDrainSeconds = 0
    /// Single sign-on with OpenID Connect (`OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`,
    /// `OIDC_REDIRECT_URL`, `OIDC_ROLE_MAP`, …; see `OIDCSettings`); nil when `OIDC_ISSUER` is unset.
    package var oidc: OIDCSettings?
    /// `TLS_CERT_PATH` and `TLS_KEY_PATH`: PEM files of the server's certificate (chain) and its
    /// private key; both set, HTTP and gRPC speak only TLS (1.2 and up) on their ports. Read and
    /// checked at start. Unset (the default): plain HTTP, for loopback or behind a TLS proxy.
    package var tls: ServerTLS?
    /// `TRUSTED_PROXIES`: comma-separated addresses and networks (CIDR) of the proxies whose
    /// `X-Forwarded-Proto` / `X-Forwarded-For` / `Forwarded` headers are believed (default none).
    package var trustedProxies = TrustedProxies.none

    public init() {}

    /// Reads the environment; a value that cannot be read is an error naming the variable.
    public init(environment: [String: String]) throws(ConfigurationError) {
        if let host = environment["HOST"], !host.isEmpty { hostname = host }
        if let port = environment["PORT"] { self.port = try Self.integer("PORT", port, in: 0...65535) }
        if let port = environment["GRPC_PORT"], !port.isEmpty { grpcPort = try Self.integer("GRPC_PORT", port, in: 0...65535) }
        if let root = environment["LOANRISK_ROOT"], !root.isEmpty { self.root = URL(fileURLWithPath: root) }
        if let path = environment["DATABASE_PATH"], !path.isEmpty { databasePath = path }
        if let url = environment["DATABASE_URL"], !url.isEmpty { databaseURL = url }
        if let model = environment["MODEL"], !model.isEmpty { self.model = model }
        if let mb = environment["MAX_UPLOAD_MB"] { maxUploadMB = try Self.integer("MAX_UPLOAD_MB", mb, in: 1...10_000) }
        if let limit = environment["API_BATCH_LIMIT"] { apiBatchLimit = try Self.integer("API_BATCH_LIMIT", limit, in: 1...1_000_000) }
        if let days = environment["RETENTION_DAYS"] { retentionDays = try Self.integer("RETENTION_DAYS", days, in: 0...3650) }
        if let tokens = environment["ADMIN_TOKEN"], !tokens.isEmpty { adminTokens = try AdminToken.parse(tokens) }
        if let rate = environment["API_KEY_RATE_PER_MINUTE"] { apiKeyRatePerMinute = try Self.integer("API_KEY_RATE_PER_MINUTE", rate, in: 1...10_000_000) }
        if let watch = environment["MODELS_WATCH"], !watch.isEmpty { modelsWatch = URL(fileURLWithPath: watch) }
        if let days = environment["AUDIT_RETENTION_DAYS"] { auditRetentionDays = try Self.integer("AUDIT_RETENTION_DAYS", days, in: 1...36_500) }
        if let days = environment["ACCESS_LOG_RETENTION_DAYS"] { accessRetentionDays = try Self.integer("ACCESS_LOG_RETENTION_DAYS", days, in: 1...36_500) }
        if let days = environment["SHADOW_RETENTION_DAYS"], !days.isEmpty { shadowRetentionDays = try Self.integer("SHADOW_RETENTION_DAYS", days, in: 0...36_500) }
        if let path = environment["AUDIT_JOURNAL_DIR"], !path.isEmpty { auditJournalDirectory = URL(fileURLWithPath: path) }
        if let count = environment["MONITOR_WINDOW_APPLICANTS"] {
            monitorWindowApplicants = try Self.integer("MONITOR_WINDOW_APPLICANTS", count, in: 10...1_000_000)
        }
        if let hours = environment["MONITOR_WINDOW_HOURS"] { monitorWindowHours = try Self.integer("MONITOR_WINDOW_HOURS", hours, in: 1...8_760) }
        if let count = environment["MONITOR_MIN_APPLICANTS"] {
            monitorMinimumApplicants = try Self.integer("MONITOR_MIN_APPLICANTS", count, in: 1...1_000_000)
        }
        if let url = environment["DRIFT_WEBHOOK_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw ConfigurationError("DRIFT_WEBHOOK_URL='\(url)' must be an http:// or https:// address.")
            }
            driftWebhookURL = url
        }
        if let attempts = environment["DRIFT_WEBHOOK_ATTEMPTS"] { driftWebhookAttempts = try Self.integer("DRIFT_WEBHOOK_ATTEMPTS", attempts, in: 1...20) }
        connections = try ConnectionSettings(environment: environment)
        accounts = try AccountsConfiguration(environment: environment, hostname: hostname)
        if let seconds = environment["SHUTDOWN_DRAIN_SECONDS"] { shutdownDrainSeconds = try Self.integer("SHUTDOWN_DRAIN_SECONDS", seconds, in: 0...120) }
        oidc = try OIDCSettings(environment: environment)
        tls = try ServerTLS.from(certificatePath: environment["TLS_CERT_PATH"], keyPath: environment["TLS_KEY_PATH"])
        if let list = environment["TRUSTED_PROXIES"] { trustedProxies = try TrustedProxies(parsing: list) }
        if let level = environment["LOG_LEVEL"] {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("LOG_LEVEL='\(level)' is not one of trace, debug, info, notice, warning, error, critical.")
            }
            logLevel = parsed
        }
    }

    public var maxUploadBytes: Int { maxUploadMB * 1_048_576 }
    public var viewsDirectory: URL { root.appendingPathComponent("Views") }
    public var publicDirectory: URL { root.appendingPathComponent("Public") }
    public var modelsDirectory: URL { root.appendingPathComponent("Data/models") }
    public var samplesDirectory: URL { root.appendingPathComponent("Data/samples") }
    public var resolvedDatabasePath: String { databasePath ?? root.appendingPathComponent("loanrisk.sqlite").path }
    public var resolvedAuditJournalDirectory: URL {
        auditJournalDirectory ?? URL(fileURLWithPath: resolvedDatabasePath).deletingLastPathComponent().appendingPathComponent("audit-journal")
    }

    static func integer(_ name: String, _ text: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(name)='\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }
}

