import Foundation
import Hummingbird
import LoanRiskCore

/// API keys over `/admin/v1` (scope `admin`): `POST keys` makes one and answers it once with
/// its text (`key`), `GET keys` lists them without secrets, `DELETE keys/{id}` revokes one —
/// refused from this instance at once, from the others within about a second.
struct AdminKeysController {
    let ring: APIKeyRing

    func addRoutes(to admin: some RouterMethods<AppRequestContext>) {
        admin.post("keys") { request, context in try await create(request, context: context) }
        admin.get("keys") { _, _ in JSONAnswer(["keys": try await ring.store.list()]) }
        admin.delete("keys/:id") { _, context in try await revoke(context.parameters.get("id") ?? "") }
    }

    /// What `POST /admin/v1/keys` reads.
    struct CreateBody: Decodable {
        var name: String
        var scopes: [String]
        var models: [String]?
        var expiresAt: String?
        var ratePerMinute: Int?
        var team: String?

        enum CodingKeys: String, CodingKey {
            case name, scopes, models, team
            case expiresAt = "expires_at", ratePerMinute = "rate_per_minute"
        }
    }

    /// A new key's answer: the record and, this once, the key.
    struct Created: Encodable {
        let key: String
        let record: APIKeyRecord

        func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(key, forKey: .key)
        }

        private enum Key: String, CodingKey { case key }
    }

    private func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        guard contentType.hasPrefix("application/json") else {
            throw ProblemDetails(status: .unsupportedMediaType, detail: "Send the key's fields as application/json.")
        }
        let body: CreateBody
        do {
            body = try JSONDecoder().decode(CreateBody.self, from: Data((try await request.body.collect(upTo: 65_536)).readableBytesView))
        } catch {
            throw ProblemDetails(status: .badRequest, detail: "Send {\"name\": …, \"scopes\": [\"predict\", …]} and optionally models, expires_at, rate_per_minute, team.")
        }
        do {
            let new = NewAPIKey(
                name: body.name, scopes: try APIKeyScope.parse(body.scopes.joined(separator: " ")), models: body.models ?? [],
                expiresAt: try KeyExpiry.parse(body.expiresAt), ratePerMinute: body.ratePerMinute, teamID: body.team,
                createdBy: context.principal?.caller ?? "admin")
            let created = try await ring.store.create(new)
            try await ring.reload()
            context.logger.notice("api key created", metadata: ["key": .string(created.record.name), "by": .string(new.createdBy)])
            var response = try JSONAnswer(Created(key: created.key, record: created.record), status: .created).response()
            response.headers[.cacheControl] = "no-store"
            response.headers[.location] = "/admin/v1/keys/\(created.record.id)"
            return response
        } catch let error as APIKeyError {
            throw Self.problem(error)
        }
    }

    private func revoke(_ id: String) async throws -> JSONAnswer<APIKeyRecord> {
        do {
            let record = try await ring.store.revoke(id: id)
            try await ring.reload()
            return JSONAnswer(record)
        } catch let error as APIKeyError {
            throw Self.problem(error)
        }
    }

    static func problem(_ error: APIKeyError) -> ProblemDetails {
        switch error {
        case .invalid: ProblemDetails(status: .unprocessableContent, detail: error.message)
        case .nameTaken: ProblemDetails(status: .conflict, detail: error.message)
        case .notFound: ProblemDetails(status: .notFound, detail: error.message)
        }
    }
}
