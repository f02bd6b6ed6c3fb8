import Foundation
import JWTKit
import Scoring

/// A sign-in sent to the provider and not yet back: what the callback must check the answer
/// against. It travels in a short-lived `HttpOnly` cookie signed with `PendingSignInSealKey`
/// (an HS256 JWT), so it needs no table and any instance behind the load balancer can finish a
/// sign-in another one started. It holds no personal data; the code verifier in it is useless
/// without the code, which only the provider's redirect to this same browser carries.
package struct PendingSignIn: JWTPayload, Equatable {
    /// How long a person has to sign in at the provider.
    package static let lifetime: TimeInterval = 600

    package var state: String
    package var nonce: String
    package var codeVerifier: String
    /// The local page to land on once signed in (a path, never another site).
    package var returnTo: String
    package var expires: ExpirationClaim
    /// Marks the token as ours for this purpose, should the same key ever sign anything else.
    package var purpose: String

    enum CodingKeys: String, CodingKey {
        case state, nonce, purpose
        case codeVerifier = "cv"
        case returnTo = "rt"
        case expires = "exp"
    }

    package init(returnTo: String, now: Date = Date()) {
        state = SignInRandom.token()
        nonce = SignInRandom.token()
        codeVerifier = SignInRandom.token()
        self.returnTo = Self.safeReturn(returnTo)
        // Whole seconds, as a JWT carries it, so the opened cookie equals what was sealed.
        expires = ExpirationClaim(value: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Self.lifetime).rounded(.down)))
        purpose = "oidc-sign-in"
    }

    package func verify(using _: some JWTAlgorithm) throws {
        try expires.verifyNotExpired()
        guard purpose == "oidc-sign-in" else { throw OIDCError.signInExpired }
    }

    /// `path` if it is a path on this site (`/batches/7?x=1`), else `/`: the return address
    /// comes from the browser, and must not turn sign-in into an open redirect.
    package static func safeReturn(_ path: String) -> String {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), !path.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            return "/"
        }
        return path
    }
}

/// The HMAC key pending sign-ins are signed with, derived from a secret every instance shares
/// (`SESSION_SECRET`, else the OIDC client secret) so that it differs from the secret itself.
package struct PendingSignInSealKey: Sendable, Equatable {
    let keyBytes: [UInt8]

    package init(secret: String) {
        keyBytes = Scoring.SHA256.digest(Array("loanrisk/oidc-pending-sign-in/v1\u{0}".utf8) + Array(secret.utf8))
    }

    /// The pending sign-in as a compact signed token, for the cookie.
    package func seal(_ pending: PendingSignIn) async throws -> String {
        try await keys().sign(pending)
    }

    /// The pending sign-in a cookie carries, if its signature holds and it has not expired.
    package func open(_ token: String) async throws(OIDCError) -> PendingSignIn {
        do {
            return try await keys().verify(token, as: PendingSignIn.self)
        } catch {
            throw .signInExpired
        }
    }

    private func keys() async -> JWTKeyCollection {
        await JWTKeyCollection().add(hmac: HMACKey(from: keyBytes), digestAlgorithm: .sha256)
    }
}
