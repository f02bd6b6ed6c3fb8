import Hummingbird
import LoanRiskCore
import LoanRiskStorage

/// Liveness and readiness for the platform: `/healthz` answers while the process runs;
/// `/readyz` only when a model is loaded and the database takes writes; `/metrics` for Prometheus.
struct OpsController {
    let registry: ModelRegistry
    let database: any SQLDatabase
    let metrics: AppMetrics
    let metricsAccess: MetricsAccess
    /// Set while the server drains before stopping: readiness then answers 503.
    let drain: ShutdownDrain?

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/healthz") { _, _ in Self.text("ok\n") }
        // The Prometheus text format (version 0.0.4), for a scraper on the operator's network.
        router.get("/metrics") { request, _ in
            if let refusal = metricsAccess.refusal(request) { return refusal }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        router.get("/readyz") { _, _ in
            if drain?.isDraining == true { return Self.text("not ready: shutting down\n", status: .serviceUnavailable) }
            let modelLoaded = !registry.all.isEmpty
            let writable = await database.isWritable()
            guard modelLoaded, writable else {
                return Self.text("not ready: \(modelLoaded ? "" : "no model loaded ")\(writable ? "" : "database not writable")\n", status: .serviceUnavailable)
            }
            return Self.text("ready: model \(registry.defaultBundle.name) \(registry.defaultBundle.version)\n")
        }
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
