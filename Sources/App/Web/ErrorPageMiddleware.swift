import Hummingbird
import Logging

/// Turns errors from page routes into HTML pages that say what happened; an error that is
/// not an `HTTPError` is a bug: it is logged and shown as a plain 500 page without details.
struct ErrorPageMiddleware: RouterMiddleware {
    let views: Views
    let registry: ModelRegistry

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            return problem.response
        } catch let error as HTTPError where request.uri.path.hasPrefix("/v2/") {
            return InferenceProtocolController.failure(.init(status: error.status, message: error.body ?? Self.defaultMessage(error.status)))
        } catch let error as HTTPError where request.uri.path.hasPrefix("/api/") {
            return ProblemDetails(status: error.status, detail: error.body ?? Self.defaultMessage(error.status)).response
        } catch let error as HTTPError {
            return page(status: error.status, message: error.body ?? Self.defaultMessage(error.status), context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": .string(String(describing: type(of: error))), "path": .string(request.uri.path)])
            if request.uri.path.hasPrefix("/api/") {
                return ProblemDetails(status: .internalServerError, detail: "Something went wrong on our side; please try again.").response
            }
            return page(status: .internalServerError, message: "Something went wrong on our side. Nothing you did caused it; please try again.", context: context)
        }
    }

    private func page(status: HTTPResponse.Status, message: String, context: AppRequestContext) -> Response {
        var values = PageContext(registry: registry).base(context, title: "\(status.code) \(status.reasonPhrase)")
        values["status"] = status.code
        values["reason"] = status.reasonPhrase
        values["message"] = message
        return views.page("error", values, status: status)
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: return "There is no page at this address."
        case .methodNotAllowed: return "This address does not accept that kind of request."
        default: return status.reasonPhrase
        }
    }
}
