import Hummingbird
import LoanRiskCore
import LoanRiskStorage
import Logging

/// The error answers of the pages: every error becomes an HTML page that says what happened.
/// A database outage is a 503 page (the storage layer answers it at once). Any other error
/// that is not an `HTTPError` is a bug: it is logged by type and shown as a plain
/// 500 page without details.
struct ErrorPageMiddleware: RouterMiddleware {
    let views: Views

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return page(status: error.status, message: error.message, context: context)
        } catch is DatabaseUnavailable {
            return DatabaseUnavailable.retrying(page(status: DatabaseUnavailable.status, message: DatabaseUnavailable.message, context: context))
        } catch {
            context.logger.error("unhandled error", metadata: ["error": .string(String(describing: type(of: error)))])
            return page(status: .internalServerError, message: "Something went wrong on our side. Nothing you did caused it; please try again.", context: context)
        }
    }

    func page(status: HTTPResponse.Status, message: String, context: AppRequestContext) -> Response {
        let page = ErrorPage(
            base: PageBase(context, title: "\(status.code) \(status.reasonPhrase)"), status: status.code, reason: status.reasonPhrase, message: message)
        return views.page(page, status: status)
    }
}

/// Addresses no surface serves: the router's own 404 (and 405). Answered in the kind the
/// client asked for — a page for a browser (`Accept: text/html`), problem+json otherwise —
/// since no route, and so no surface, claimed the request.
/// Given by `EveryRequestMiddleware` for an `HTTPError` that reaches it.
struct UnmatchedRouteAnswer {
    let pages: ErrorPageMiddleware

    func answer(_ error: HTTPError, to request: Request, context: AppRequestContext) -> Response {
        let accept = (request.headers[.accept] ?? "").lowercased()
        if accept.contains("text/html") {
            return pages.page(status: error.status, message: error.message, context: context)
        }
        return ProblemDetails(status: error.status, detail: error.message).response
    }
}
