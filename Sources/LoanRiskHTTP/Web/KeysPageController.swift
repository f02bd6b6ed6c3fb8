import Foundation
import Hummingbird
import LoanRiskCore

/// `/admin/keys`: an admin's page for API keys — list them, make one (its text shown once,
/// on the page that answers the form), revoke one. Mounted by the lead on the pages that only
/// admins' sessions reach (`HTTPSurfaces.addAdminPages`); the caller a key records as its
/// maker is the signed-in admin.
struct KeysPageController {
    let ring: APIKeyRing
    let views: Views

    func addRoutes(to pages: some RouterMethods<AppRequestContext>) {
        pages.get("/admin/keys") { _, context in try await page(context) }
        pages.post("/admin/keys") { request, context in try await create(request, context: context) }
        pages.post("/admin/keys/:id/revoke") { request, context in try await revoke(request, context: context) }
    }

    private func page(_ context: AppRequestContext, created: KeysPage.Created? = nil, problem: String? = nil, form: [String: String] = [:],
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let keys = try await ring.store.list()
        return views.page(KeysPage(base: PageBase(context, title: "API keys"), keys: keys, created: created, problem: problem, form: form), status: status)
    }

    private func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context, limit: 16 * 1024)
        try CSRF.check(form["csrf"], context: context)
        do {
            let scopes = APIKeyScope.allCases.filter { form["scope_\($0.rawValue)"] != nil }
            let models = (form["models"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            let rate = try (form["rate_per_minute"] ?? "").isEmpty ? nil : Self.rate(form["rate_per_minute"] ?? "")
            let new = NewAPIKey(
                name: (form["name"] ?? "").trimmingCharacters(in: .whitespaces), scopes: scopes, models: models,
                expiresAt: try KeyExpiry.parse(form["expires"]), ratePerMinute: rate, createdBy: context.principal?.caller ?? "admin")
            let made = try await ring.store.create(new)
            try await ring.reload()
            context.logger.notice("api key created", metadata: ["key": .string(made.record.name), "by": .string(new.createdBy)])
            return try await page(context, created: .init(name: made.record.name, key: made.key), status: .created)
        } catch let error as APIKeyError {
            return try await page(context, problem: error.message, form: form, status: .unprocessableContent)
        }
    }

    private func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context, limit: 16 * 1024)
        try CSRF.check(form["csrf"], context: context)
        do {
            let record = try await ring.store.revoke(id: context.parameters.get("id") ?? "")
            try await ring.reload()
            context.logger.notice("api key revoked", metadata: ["key": .string(record.name)])
        } catch let error as APIKeyError {
            throw HTTPError(.notFound, message: error.message)
        }
        return .redirect(to: "/admin/keys", type: .normal)
    }

    private static func rate(_ text: String) throws(APIKeyError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw .invalid("Rate per minute: a whole number, or empty for the default.") }
        return value
    }
}
