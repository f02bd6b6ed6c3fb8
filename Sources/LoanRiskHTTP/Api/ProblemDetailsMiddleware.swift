import Hummingbird
import LoanRiskCore
import LoanRiskStorage

/// The error answers of the JSON surfaces (`/api/v1`, `/admin/v1`, `/openapi.json`):
/// every error becomes `application/problem+json`; a database outage is a 503. Any other
/// error that is neither a `ProblemDetails` nor an `HTTPError` is a bug: logged by type (never with request data)
/// and answered as a plain 500.
struct ProblemDetailsMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            return problem.response
        } catch let error as HTTPError {
            var response = ProblemDetails(status: error.status, detail: error.message).response
            for field in error.headers { response.headers.append(field) }
            return response
        } catch is DatabaseUnavailable {
            return DatabaseUnavailable.retrying(ProblemDetails(status: DatabaseUnavailable.status, detail: DatabaseUnavailable.message).response)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": .string(String(describing: type(of: error)))])
            return ProblemDetails(status: .internalServerError, detail: "Something went wrong on our side; please try again.").response
        }
    }
}
