import Foundation
import Hummingbird
import LoanRiskCore

/// An Open Inference Protocol error: `{"error": "…"}` with its status, as the protocol
/// specifies (tritonclient reads the message from there).
struct InferenceError: Error, ResponseGenerator {
    let status: HTTPResponse.Status
    let message: String

    /// A request the client must change: 400 with `message`.
    static func badRequest(_ message: String) -> InferenceError {
        InferenceError(status: .badRequest, message: message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        (try? JSONAnswer(["error": message], status: status).response())
            ?? Response(status: status, headers: [.contentType: "application/json"])
    }
}

/// The error answers of `/v2`: every error becomes an `InferenceError` body; one that is
/// neither that nor an `HTTPError` is a bug, logged by type and answered as a 500.
struct InferenceErrorMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as InferenceError {
            return error.response
        } catch let error as HTTPError {
            return InferenceError(status: error.status, message: error.message).response
        } catch {
            context.logger.error("unhandled error", metadata: ["error": .string(String(describing: type(of: error)))])
            return InferenceError(status: .internalServerError, message: "Something went wrong on our side; please try again.").response
        }
    }
}
