import Foundation
import Hummingbird

/// Counts every request and times it, by route pattern (`/batches/{id}`, never the path
/// itself, which holds batch ids), method and status. Added to the router before every
/// route, so each route's pattern is known; addresses no route serves count as `unmatched`.
struct HTTPMetricsMiddleware: RouterMiddleware {
    let metrics: AppMetrics

    /// The route's pattern; Hummingbird's not-found responder names itself "NotFound".
    private static func route(_ context: AppRequestContext) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.request(route: Self.route(context), method: method, status: Int(response.status.code),
                            nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: Self.route(context), method: method, status: Int(status),
                            nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            throw error
        }
    }
}
