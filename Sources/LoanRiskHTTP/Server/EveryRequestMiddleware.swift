import Foundation
import Hummingbird
import LoanRiskCore

/// What every request passes through, whatever surface serves it, in one layer (four layers of
/// their own cost a request more than the work they do): where it came from (`RequestOrigin`:
/// `context.overTLS`, `context.clientAddress`), `100 Continue` as the route reads the
/// body (`ExpectContinue`), the answer for addresses no surface serves (`UnmatchedRouteAnswer`),
/// the security headers (`SecurityHeaders`), and the request counted and timed.
///
/// Counted by route pattern (`/batches/{id}`, never the path itself, which holds batch ids),
/// method and status; added to the router before every route, so each route's pattern is
/// known; addresses no route serves count as `unmatched`.
struct EveryRequestMiddleware: RouterMiddleware {
    let metrics: AppMetrics
    let unmatched: UnmatchedRouteAnswer
    let origin: RequestOrigin
    /// Handed to every request, for `AppRequestContext.recordAccess`.
    var accessLog: AccessLog? = nil

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var context = context
        (context.overTLS, context.clientAddress) = origin.resolve(headers: request.headers, peer: context.channel.remoteAddress?.ipAddress)
        context.accessLog = accessLog
        let (request, interim) = ExpectContinue.prepare(request, context: context)
        do {
            var response: Response
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                response = unmatched.answer(error, to: request, context: context)
            }
            SecurityHeaders.apply(to: &response, overTLS: context.overTLS)
            ExpectContinue.finish(&response, interim: interim)
            count(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            count(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func count(_ request: Request, context: AppRequestContext, status: Int, since start: UInt64) {
        metrics.request(route: Self.route(context), method: request.method.rawValue, status: status,
                        nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
    }

    /// The route's pattern; Hummingbird's not-found responder names itself "NotFound".
    private static func route(_ context: AppRequestContext) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}
