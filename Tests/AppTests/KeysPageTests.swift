import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The `/admin/keys` page, mounted as the lead's admin-only pages group will mount it
/// (`HTTPSurfaces.addAdminPages`), behind the pages' CSRF check, with an admin's principal on
/// the request as the session middleware will set it.
@Suite(.sharingTheCores) struct KeysPageTests {
    struct SignedInAdmin: RouterMiddleware {
        func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
            var context = context
            context.principal = Principal(kind: .account, id: "acc_1", name: "ana", role: .admin, teamID: nil)
            return try await next(request, context)
        }
    }

    @Test func anAdminMakesAKeySeesItOnceAndRevokesIt() async throws {
        let configuration = TestApp.configuration()
        let database = try await TestApp.database(configuration)
        let store = APIKeyStore(database: database)
        let ring = APIKeyRing(store: store, defaultRatePerMinute: 60)
        try await ring.reload()
        let router = Router(context: AppRequestContext.self)
        let pages = router.group().add(middleware: CSRFMiddleware()).add(middleware: SignedInAdmin())
        KeysPageController(ring: ring, views: try await Views(directory: configuration.viewsDirectory)).addRoutes(to: pages)
        try await Application(router: router).test(.router) { client in
            let empty = try await client.execute(uri: "/admin/keys", method: .get)
            #expect(empty.status == .ok)
            let cookie = try #require(empty.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let token = try #require(Session.formToken(in: String(buffer: empty.body)))
            #expect(String(buffer: empty.body).contains(#"id="keys-empty""#))

            let form = "csrf=\(token)&name=origination&scope_predict=on&scope_oip=on&models=lending-club&expires=2999-12-31&rate_per_minute="
            let made = try await client.execute(
                uri: "/admin/keys", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie], body: ByteBuffer(string: form))
            #expect(made.status == .created)
            let page = String(buffer: made.body)
            let key = try #require(page.range(of: #"<code id="new-key">"#).map { String(page[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(key.hasPrefix("lr_") && key.count == 67)
            let record = try #require(try await store.list().first)
            #expect(record.name == "origination" && record.scopes == [.predict, .oip] && record.models == ["lending-club"])
            #expect(record.createdBy == "account:ana")
            if case .granted(let grant) = ring.check(APIKeySecret.digest(key)) {
                #expect(grant.principal.caller == "key:origination")
            } else {
                Issue.record("the key made on the page is not live at once")
            }

            let listed = String(buffer: try await client.execute(uri: "/admin/keys", method: .get, headers: [.cookie: cookie]).body)
            #expect(listed.contains(record.prefix) && !listed.contains(key), "the list shows the prefix, never the key again")

            // Refused without a scope, with the reason.
            let refused = try await client.execute(
                uri: "/admin/keys", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: ByteBuffer(string: "csrf=\(token)&name=nothing"))
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("scopes"))

            let revoked = try await client.execute(
                uri: "/admin/keys/\(record.id)/revoke", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: ByteBuffer(string: "csrf=\(token)"))
            #expect(revoked.status == .seeOther)
            if case .unknown = ring.check(APIKeySecret.digest(key)) {} else { Issue.record("a revoked key is still let in") }
            // A form without the page's token changes nothing.
            let forged = try await client.execute(
                uri: "/admin/keys", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: ByteBuffer(string: "name=forged&scope_admin=on"))
            #expect(forged.status == .forbidden)
        }
        await database.close()
    }
}
