import Foundation
import Logging
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import LoanRiskCore

/// `OIDCClient` against a real provider (pyop, `tests/oidc/provider.py`) on loopback: the
/// whole authorization code flow with PKCE over plain HTTP, groups mapped to roles, and the
/// ID token checks that must refuse a token — tampered, for another client, for another sign-in.
@Suite(.enabled(if: LoopbackOIDCProvider.usable, "needs pyop: pip install -r tests/oidc/requirements.txt"))
struct OIDCClientTests {
    static let redirect = "http://127.0.0.1:9/sign-in/oidc/callback"

    static func client(_ provider: LoopbackOIDCProvider, clientID: String = LoopbackOIDCProvider.clientID) throws -> OIDCClient {
        OIDCClient(settings: try provider.settings(redirect: redirect, clientID: clientID), logger: Logger(label: "oidc-test"))
    }

    /// One sign-in up to the code: the authorization address, the pending sign-in and the provider's answer.
    static func signIn(_ client: OIDCClient, as user: String) async throws -> (pending: PendingSignIn, answer: URLComponents) {
        let (url, pending) = try await client.start(returnTo: "/batches?sort=probability")
        let answer = try await LoopbackOIDCProvider.logIn(at: url, user: user)
        return (pending, answer)
    }

    @Test func anAnalystSignsInWithTheRoleAndTeamHerGroupsGive() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        let client = try Self.client(provider)
        let (url, pending) = try await client.start(returnTo: "/batches?sort=probability")
        let request = try #require(URLComponents(string: url))
        #expect(url.hasPrefix(provider.issuer + "/authorize?"))
        #expect(request.query("code_challenge_method") == "S256")
        #expect(request.query("code_challenge") == SignInRandom.challenge(for: pending.codeVerifier))
        #expect(request.query("state") == pending.state && request.query("nonce") == pending.nonce)
        #expect(request.query("redirect_uri") == Self.redirect && request.query("client_id") == LoopbackOIDCProvider.clientID)
        #expect(!url.contains(pending.codeVerifier), "only the challenge is in the address; the verifier waits in the signed cookie")
        #expect(pending.returnTo == "/batches?sort=probability")

        let answer = try await LoopbackOIDCProvider.logIn(at: url, user: "ana")
        #expect(answer.path == "/sign-in/oidc/callback")
        #expect(answer.query("state") == pending.state)
        let code = try #require(answer.query("code"))
        let identity = try await client.finish(code: code, state: pending.state, pending: pending)
        #expect(identity.issuer == provider.issuer)
        #expect(identity.subject.count == 64, "pyop's public subject: a SHA-256 in hex")
        #expect(identity.preferredName == "ana")
        #expect(identity.name == "Ana Analyst" && identity.email == "ana@example.test")
        #expect(identity.groups == ["analysts"])
        #expect(identity.role == .analyst)
        #expect(identity.teamName == "credit-east")

        // The code is spent: a second exchange is refused by the provider.
        await #expect(throws: OIDCError.self) { try await client.finish(code: code, state: pending.state, pending: pending) }
    }

    @Test func theHighestRoleWinsAndNoMappedGroupIsRefused() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        let client = try Self.client(provider)
        let rita = try await Self.signIn(client, as: "rita")
        let admin = try await client.finish(code: try #require(rita.answer.query("code")), state: rita.pending.state, pending: rita.pending)
        #expect(admin.groups == ["analysts", "risk-admins"] && admin.role == .admin)

        let mo = try await Self.signIn(client, as: "mo")
        await #expect(throws: OIDCError.noRole(groups: ["marketing"])) {
            try await client.finish(code: try #require(mo.answer.query("code")), state: mo.pending.state, pending: mo.pending)
        }
    }

    @Test func aWrongPasswordGetsNoCode() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        let client = try Self.client(provider)
        let (url, _) = try await client.start(returnTo: "/")
        let query = try #require(URLComponents(string: url)?.percentEncodedQuery)
        var request = URLRequest(url: try #require(URL(string: provider.issuer + "/authorize")))
        request.httpMethod = "POST"
        request.httpBody = Data(FormEncoding.encode([("request", query), ("username", "ana"), ("password", "not-her-password")]).utf8)
        let (page, response) = try await NoRedirects.session.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 401)
        #expect(String(decoding: page, as: UTF8.self).contains("Wrong username or password."))
    }

    @Test func anAnswerForAnotherSignInOrWithAnotherVerifierIsRefused() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        let client = try Self.client(provider)
        let first = try await Self.signIn(client, as: "ana")
        let code = try #require(first.answer.query("code"))
        // The state does not match this browser's pending sign-in.
        let other = PendingSignIn(returnTo: "/")
        await #expect(throws: OIDCError.signInExpired) { try await client.finish(code: code, state: first.pending.state, pending: other) }
        // The right state but another verifier: the provider's PKCE check refuses the code.
        var forged = first.pending
        forged.codeVerifier = SignInRandom.token()
        await #expect(throws: OIDCError.self) { try await client.finish(code: code, state: forged.state, pending: forged) }
    }

    @Test func tamperedTokensAndTokensForOthersAreRefused() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        let client = try Self.client(provider)
        let signIn = try await Self.signIn(client, as: "ana")
        let token = try await client.exchange(code: try #require(signIn.answer.query("code")), verifier: signIn.pending.codeVerifier)
        // The genuine token passes (so each refusal below is for its one change).
        #expect(try await client.verify(idToken: token, nonce: signIn.pending.nonce).role == .analyst)

        // Another sign-in's nonce: a replayed token.
        await #expect(throws: OIDCError.self) { try await client.verify(idToken: token, nonce: SignInRandom.token()) }

        // A payload rewritten to give ana the admin group, with the original signature.
        let parts = token.split(separator: ".").map(String.init)
        let payload = try #require(SignInRandom.decodeBase64URL(parts[1]))
        let rewritten = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\"analysts\"", with: "\"risk-admins\"")
        #expect(rewritten != String(decoding: payload, as: UTF8.self))
        let tampered = [parts[0], SignInRandom.base64URL(Array(rewritten.utf8)), parts[2]].joined(separator: ".")
        await #expect(throws: OIDCError.self) { try await client.verify(idToken: tampered, nonce: signIn.pending.nonce) }

        // An unsigned token (`alg: none`) with the same claims.
        let none = SignInRandom.base64URL(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
        await #expect(throws: OIDCError.self) { try await client.verify(idToken: none, nonce: signIn.pending.nonce) }

        // The same genuine token presented to a client with another id: wrong audience.
        let otherClient = try Self.client(provider, clientID: "another-app")
        do {
            _ = try await otherClient.verify(idToken: token, nonce: signIn.pending.nonce)
            Issue.record("a token for another audience was accepted")
        } catch {
            guard case .invalidToken(let detail) = error else { Issue.record("unexpected \(error)"); return }
            #expect(detail.contains("audience"), "\(detail)")
        }
    }

    @Test func aRotatedKeyIsFetchedOnceWhenATokenNamesIt() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect)
        let client = try Self.client(provider)
        let before = try await Self.signIn(client, as: "ana")
        _ = try await client.finish(code: try #require(before.answer.query("code")), state: before.pending.state, pending: before.pending)
        #expect(await client.jwksFetches == 1)

        _ = try await provider.rotateKey()
        let after = try await Self.signIn(client, as: "ana")
        let identity = try await client.finish(code: try #require(after.answer.query("code")), state: after.pending.state, pending: after.pending)
        #expect(identity.role == .analyst)
        #expect(await client.jwksFetches == 2)
    }

    @Test func theTokenEndpointTakesTheSecretInTheBodyWhenTheProviderAsks() async throws {
        let provider = try LoopbackOIDCProvider(redirect: Self.redirect, authMethod: "client_secret_post")
        let client = try Self.client(provider)
        let signIn = try await Self.signIn(client, as: "ana")
        let identity = try await client.finish(code: try #require(signIn.answer.query("code")), state: signIn.pending.state, pending: signIn.pending)
        #expect(identity.preferredName == "ana")
    }
}

/// The pending sign-in cookie and the settings, without a provider.
struct OIDCPendingSignInTests {
    @Test func aSealedPendingSignInOpensOnlyWithTheSameKeyAndUntouched() async throws {
        let key = PendingSignInSealKey(secret: "shared by every instance")
        let pending = PendingSignIn(returnTo: "/batches/7")
        let sealed = try await key.seal(pending)
        #expect(try await key.open(sealed) == pending)
        #expect(try await PendingSignInSealKey(secret: "shared by every instance").open(sealed) == pending, "another instance opens it")
        await #expect(throws: OIDCError.signInExpired) { try await PendingSignInSealKey(secret: "another secret").open(sealed) }
        // A character inside the signature, not the last one: the last base64url character
        // of a 32-byte MAC carries two padding bits, so changing only those changes nothing.
        var characters = Array(sealed)
        let inside = characters.count - 5
        characters[inside] = characters[inside] == "A" ? "Q" : "A"
        let flipped = String(characters)
        await #expect(throws: OIDCError.signInExpired) { try await key.open(flipped) }
        let expired = PendingSignIn(returnTo: "/", now: Date().addingTimeInterval(-PendingSignIn.lifetime - 1))
        await #expect(throws: OIDCError.signInExpired) { try await key.open(try await key.seal(expired)) }
    }

    @Test func theReturnAddressStaysOnThisSite() {
        #expect(PendingSignIn.safeReturn("/batches/7?sort=score") == "/batches/7?sort=score")
        #expect(PendingSignIn.safeReturn("//evil.example/") == "/")
        #expect(PendingSignIn.safeReturn("https://evil.example/") == "/")
        #expect(PendingSignIn.safeReturn("/\\evil.example") == "/")
    }

    @Test func rolesMapFromGroupsAndBadMapsAreRefused() throws {
        let map = try OIDCRoleMap(parsing: "risk-admins=admin, model-team=model_admin,analysts=analyst,auditors=viewer")
        #expect(map.role(for: ["auditors", "model-team"]) == .modelAdmin)
        #expect(map.role(for: ["marketing"]) == nil)
        #expect(throws: ConfigurationError.self) { try OIDCRoleMap(parsing: "analysts=boss") }
        #expect(throws: ConfigurationError.self) { try OIDCRoleMap(parsing: "analysts") }
    }

    @Test func settingsNeedEverythingOnceAnIssuerIsSet() throws {
        #expect(try OIDCSettings(environment: [:]) == nil)
        let complete = [
            "OIDC_ISSUER": "https://id.example.com/", "OIDC_CLIENT_ID": "loanrisk", "OIDC_CLIENT_SECRET": "s",
            "OIDC_REDIRECT_URL": "https://loanrisk.example.com/sign-in/oidc/callback", "OIDC_ROLE_MAP": "analysts=analyst",
        ]
        let settings = try #require(try OIDCSettings(environment: complete))
        #expect(settings.issuer == "https://id.example.com" && settings.groupsClaim == "groups" && settings.teamClaim == nil)
        var missing = complete
        missing["OIDC_CLIENT_SECRET"] = nil
        #expect(throws: ConfigurationError.self) { try OIDCSettings(environment: missing) }
        var plain = complete
        plain["OIDC_ISSUER"] = "http://id.example.com"
        #expect(throws: ConfigurationError.self) { try OIDCSettings(environment: plain) }
        plain["OIDC_ISSUER"] = "http://127.0.0.1:5556"
        #expect(try OIDCSettings(environment: plain)?.issuer == "http://127.0.0.1:5556")
    }
}
