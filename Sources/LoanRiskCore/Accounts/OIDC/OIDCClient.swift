import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore

/// The relying party's side of OpenID Connect's authorization code flow with PKCE: builds the
/// address that sends a person to the provider, exchanges the code that brings them back, and
/// verifies the ID token (signature against the provider's JWKS; issuer, audience, expiry,
/// issue time, nonce) before mapping their groups to a role. Discovery and the JWKS are
/// fetched once and kept; the JWKS is fetched again once when a token names a key it lacks
/// (the provider rotated its keys).
package actor OIDCClient {
    package nonisolated let settings: OIDCSettings
    private let http: HTTPClient
    private let logger: Logger
    private var metadataCache: OIDCProviderMetadata?
    private var keyCache: (keys: JWTKeyCollection, ids: Set<String>, count: Int)?
    /// How many times the JWKS has been fetched (for tests of the refetch-on-rotation rule).
    package private(set) var jwksFetches = 0

    /// Asymmetric algorithms only: an ID token signed with HMAC or `none` is refused before
    /// any key is looked at.
    static let acceptedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
    static let requestTimeout = TimeAmount.seconds(10)
    static let maxBodyBytes = 1 << 20

    package init(settings: OIDCSettings, http: HTTPClient = .shared, logger: Logger) {
        self.settings = settings
        self.http = http
        self.logger = logger
    }

    // MARK: The flow

    /// Where to send the browser, and the pending sign-in to keep until it comes back.
    package func start(returnTo: String) async throws(OIDCError) -> (authorizationURL: String, pending: PendingSignIn) {
        let metadata = try await metadata()
        let pending = PendingSignIn(returnTo: returnTo)
        let query = FormEncoding.encode([
            ("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", settings.redirectURL),
            ("scope", "openid profile email"), ("state", pending.state), ("nonce", pending.nonce),
            ("code_challenge", SignInRandom.challenge(for: pending.codeVerifier)), ("code_challenge_method", "S256"),
        ])
        let separator = metadata.authorizationEndpoint.contains("?") ? "&" : "?"
        return (metadata.authorizationEndpoint + separator + query, pending)
    }

    /// Finishes a sign-in: checks the answer's `state` against the pending sign-in, exchanges
    /// the code (with the PKCE verifier) and verifies the ID token it returns.
    package func finish(code: String, state: String, pending: PendingSignIn) async throws(OIDCError) -> VerifiedIdentity {
        guard Self.constantTimeEqual(state, pending.state) else { throw .signInExpired }
        let token = try await exchange(code: code, verifier: pending.codeVerifier)
        return try await verify(idToken: token, nonce: pending.nonce)
    }

    /// The code exchange at the token endpoint; returns the ID token.
    func exchange(code: String, verifier: String) async throws(OIDCError) -> String {
        let metadata = try await metadata()
        guard let authentication = metadata.clientAuthentication else {
            throw .providerUnavailable("the provider offers neither client_secret_basic nor client_secret_post at its token endpoint")
        }
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", settings.redirectURL), ("code_verifier", verifier)]
        var request = HTTPClientRequest(url: metadata.tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        switch authentication {
        case .basic:
            // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64ed.
            let pair = FormEncoding.escape(settings.clientID) + ":" + FormEncoding.escape(settings.clientSecret)
            request.headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        case .post:
            form += [("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
        }
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        let (status, body) = try await send(request, what: "token endpoint")
        guard status == 200 else {
            let error = (try? JSONDecoder().decode(OAuthErrorResponse.self, from: body))?.error ?? "HTTP \(status)"
            throw .providerUnavailable("the token endpoint refused the code: \(error)")
        }
        guard let response = try? JSONDecoder().decode(OIDCTokenResponse.self, from: body), let idToken = response.idToken else {
            throw .providerUnavailable("the token endpoint's answer has no id_token")
        }
        return idToken
    }

    /// Verifies an ID token for this client and the sign-in whose `nonce` it must carry, and
    /// maps it to an identity with a role (or refuses it with `.noRole`).
    package func verify(idToken: String, nonce: String) async throws(OIDCError) -> VerifiedIdentity {
        let metadata = try await metadata()
        let header = try Self.header(of: idToken)
        guard Self.acceptedAlgorithms.contains(header.alg), metadata.idTokenSigningAlgValuesSupported?.contains(header.alg) ?? true else {
            throw .invalidToken("ID token signed with \(header.alg), which is not accepted")
        }
        let keys = try await keys(for: header.kid, metadata: metadata)
        let token: OIDCIDToken
        do {
            token = try await keys.verify(idToken, as: OIDCIDToken.self, expectedAudience: settings.clientID)
        } catch {
            throw .invalidToken("ID token refused: \(error)")
        }
        guard token.issuer.value == settings.issuer else {
            throw .invalidToken("ID token issued by \(token.issuer.value), not \(settings.issuer)")
        }
        guard let tokenNonce = token.nonce, Self.constantTimeEqual(tokenNonce, nonce) else {
            throw .invalidToken("ID token's nonce does not match this sign-in's")
        }
        guard !token.subject.value.isEmpty else { throw .invalidToken("ID token has an empty subject") }
        return try identity(from: token)
    }

    /// The identity an accepted token describes: its groups mapped to a role, its team named.
    func identity(from token: OIDCIDToken) throws(OIDCError) -> VerifiedIdentity {
        let groups = token.otherClaims[settings.groupsClaim]?.list ?? []
        guard let role = settings.roleMap.role(for: groups) else { throw .noRole(groups: groups) }
        let team = settings.teamClaim.flatMap { token.otherClaims[$0]?.list.first }.flatMap { $0.isEmpty ? nil : $0 } ?? settings.defaultTeam
        let preferred = [token.preferredUsername, token.email, token.name].compactMap { $0 }.first { !$0.isEmpty } ?? token.subject.value
        return VerifiedIdentity(
            issuer: token.issuer.value, subject: token.subject.value, preferredName: preferred, name: token.name, email: token.email,
            groups: groups, role: role, teamName: team)
    }

    // MARK: Discovery and keys

    /// The provider's discovery document, fetched once; its issuer must be exactly the configured one.
    package func metadata() async throws(OIDCError) -> OIDCProviderMetadata {
        if let metadataCache { return metadataCache }
        var request = HTTPClientRequest(url: settings.issuer + "/.well-known/openid-configuration")
        request.headers.add(name: "Accept", value: "application/json")
        let (status, body) = try await send(request, what: "discovery")
        guard status == 200, let metadata = try? JSONDecoder().decode(OIDCProviderMetadata.self, from: body) else {
            throw .providerUnavailable("discovery at \(settings.issuer) answered \(status) without a usable document")
        }
        guard metadata.issuer == settings.issuer else {
            throw .providerUnavailable("discovery names the issuer \(metadata.issuer), not OIDC_ISSUER=\(settings.issuer)")
        }
        if let methods = metadata.codeChallengeMethodsSupported, !methods.contains("S256") {
            throw .providerUnavailable("the provider does not offer PKCE with S256")
        }
        metadataCache = metadata
        return metadata
    }

    /// The provider's keys, fetched again (once per token) when `kid` is not among them.
    private func keys(for kid: String?, metadata: OIDCProviderMetadata) async throws(OIDCError) -> JWTKeyCollection {
        if let cached = keyCache, Self.covers(cached, kid) { return cached.keys }
        let fetched = try await fetchKeys(metadata)
        keyCache = fetched
        guard Self.covers(fetched, kid) else {
            throw .invalidToken(kid.map { "ID token signed with key \($0), which the provider's JWKS does not list" } ?? "ID token names no key and the JWKS has several")
        }
        return fetched.keys
    }

    private static func covers(_ cache: (keys: JWTKeyCollection, ids: Set<String>, count: Int), _ kid: String?) -> Bool {
        kid.map { cache.ids.contains($0) } ?? (cache.count == 1)
    }

    private func fetchKeys(_ metadata: OIDCProviderMetadata) async throws(OIDCError) -> (keys: JWTKeyCollection, ids: Set<String>, count: Int) {
        var request = HTTPClientRequest(url: metadata.jwksURI)
        request.headers.add(name: "Accept", value: "application/json")
        let (status, body) = try await send(request, what: "JWKS")
        jwksFetches += 1
        guard status == 200, let jwks = try? JSONDecoder().decode(JWKS.self, from: body) else {
            throw .providerUnavailable("the JWKS at \(metadata.jwksURI) answered \(status) without a usable key set")
        }
        // Encryption keys and keys of kinds jwt-kit does not read are left out, not fatal.
        let signing = jwks.keys.filter { $0.keyIdentifier != nil }
        let keys = JWTKeyCollection()
        var ids: Set<String> = []
        for key in signing {
            guard (try? await keys.add(jwk: key)) != nil, let id = key.keyIdentifier?.string else { continue }
            ids.insert(id)
        }
        return (keys, ids, ids.count)
    }

    // MARK: HTTP

    private func send(_ request: HTTPClientRequest, what: String) async throws(OIDCError) -> (status: UInt, body: Data) {
        do {
            let response = try await http.execute(request, timeout: Self.requestTimeout)
            let body = try await response.body.collect(upTo: Self.maxBodyBytes)
            return (UInt(response.status.code), Data(body.readableBytesView))
        } catch {
            logger.warning("oidc: \(what) request failed", metadata: ["error": .string("\(error)")])
            throw .providerUnavailable("\(what) request failed: \(error)")
        }
    }

    // MARK: Helpers

    struct Header: Decodable {
        var alg: String
        var kid: String?
    }

    static func header(of token: String) throws(OIDCError) -> Header {
        guard let first = token.split(separator: ".", omittingEmptySubsequences: false).first,
            let data = SignInRandom.decodeBase64URL(first), let header = try? JSONDecoder().decode(Header.self, from: data)
        else { throw .invalidToken("the ID token is not a JWT") }
        return header
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// `application/x-www-form-urlencoded`, written strictly: everything but RFC 3986's unreserved
/// characters is percent-encoded.
package enum FormEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    package static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    package static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }
}
