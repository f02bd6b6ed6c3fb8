import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// Single sign-on through the app's own routes and the real provider, on the test database
/// (SQLite, or PostgreSQL under `LOANRISK_TEST_DATABASE_URL`): `/sign-in/oidc` sends the
/// browser to the provider with a pending sign-in cookie; the provider's answer at
/// `/sign-in/oidc/callback` makes (or finds) the account and starts a session.
@Suite(.enabled(if: LoopbackOIDCProvider.usable, "needs pyop: pip install -r tests/oidc/requirements.txt"))
struct OIDCSignInTests {
    /// The callback as registered; the test hands the provider's answer to the app itself.
    static let redirect = "http://127.0.0.1:9/sign-in/oidc/callback"

    static func cookie(_ name: String, in response: TestResponse) -> String? {
        response.headers[values: .setCookie].lazy.compactMap { line -> String? in
            let pair = line.split(separator: ";").first.map(String.init) ?? ""
            return pair.hasPrefix(name + "=") ? String(pair.dropFirst(name.count + 1)) : nil
        }.first
    }

    /// One sign-in through the app as `user`; the callback's response.
    static func signIn(_ client: some TestClientProtocol, as user: String, next: String = "/models") async throws -> TestResponse {
        let start = try await client.execute(uri: "/sign-in/oidc?next=\(next)", method: .get, headers: [:], body: nil)
        #expect(start.status == .seeOther)
        let pending = try #require(cookie(OIDCSignInController.cookieName, in: start))
        let line = try #require(start.headers[values: .setCookie].first { $0.hasPrefix(OIDCSignInController.cookieName) })
        #expect(line.contains("HttpOnly") && line.contains("SameSite=Lax"))
        let answer = try await LoopbackOIDCProvider.logIn(at: try #require(start.headers[.location]), user: user)
        let query = try #require(answer.percentEncodedQuery)
        return try await client.execute(
            uri: "/sign-in/oidc/callback?\(query)", method: .get, headers: [.cookie: "\(OIDCSignInController.cookieName)=\(pending)"], body: nil)
    }

    @Test func aPersonSignsInAndComesBackWithTheRoleAndTeamOfTheirGroups() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        var configuration = TestApp.configuration()
        configuration.oidc = try provider.settings(redirect: Self.redirect)
        try await TestApp.make(configuration).test(.router, anonymous: true) { client in
            let page = try await client.execute(uri: "/sign-in?next=/batches", method: .get, headers: [:], body: nil)
            #expect(String(buffer: page.body).contains(#"href="/sign-in/oidc?next=/batches""#))
            #expect(String(buffer: page.body).contains("Sign in with Loopback ID"))

            let callback = try await Self.signIn(client, as: "rita")
            #expect(callback.status == .seeOther)
            #expect(callback.headers[.location] == "/models")
            let session = try #require(Self.cookie(SessionCookie.plainName, in: callback))
            #expect(Self.cookie(OIDCSignInController.cookieName, in: callback) == "", "the pending sign-in is cleared")
            let account = try await client.execute(uri: "/account", method: .get, headers: [.cookie: "\(SessionCookie.plainName)=\(session)"], body: nil)
            #expect(account.status == .ok)
            let text = String(buffer: account.body)
            #expect(text.contains("rita") && text.contains("Admin") && text.contains("credit-east"))

            // Signing in again finds the same account (by issuer and subject), not a new "rita-2".
            let again = try await Self.signIn(client, as: "rita")
            #expect(again.status == .seeOther)
        }
        let database = try await TestApp.database(configuration)
        let store = AccountStore(database: database)
        let accounts = try await store.accounts()
        await database.close()
        let rita = try #require(accounts.first { $0.name == "rita" })
        #expect(accounts.filter { $0.oidcSubject != nil }.count == 1)
        #expect(rita.oidcIssuer == provider.issuer && rita.role == .admin && !rita.hasPassword)
    }

    @Test func refusalsArePagesThatSayWhyAndStartNoSession() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        var configuration = TestApp.configuration()
        configuration.oidc = try provider.settings(redirect: Self.redirect)
        try await TestApp.make(configuration).test(.router, anonymous: true) { client in
            let refused = try await Self.signIn(client, as: "mo")
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("none of your groups gives access to LoanRisk"))
            #expect(Self.cookie(SessionCookie.plainName, in: refused) == nil)

            // An answer without this browser's pending sign-in (a forged or replayed link).
            let forged = try await client.execute(uri: "/sign-in/oidc/callback?code=abc&state=def", method: .get, headers: [:], body: nil)
            #expect(forged.status == .badRequest)
            #expect(String(buffer: forged.body).contains("Start again from the sign-in page"))

            // The provider sent the person back with an error.
            let denied = try await client.execute(uri: "/sign-in/oidc/callback?error=access_denied&state=x", method: .get, headers: [:], body: nil)
            #expect(denied.status == .badRequest)
            #expect(String(buffer: denied.body).contains("(access_denied)"))
        }
    }
}
