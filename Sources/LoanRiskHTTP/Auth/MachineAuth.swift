import Foundation
import LoanRiskCore

/// Checks the key a machine request presents — on `/api/v1`, `/v2`, `/admin/v1` and gRPC
/// alike: the bootstrap `ADMIN_TOKEN`s (every scope, role admin) and the API keys not revoked
/// (`APIKeyRing`). Both are looked up by the SHA-256 of the presented text, so the time a
/// lookup takes says nothing about any key's text. Wrong keys are counted per client address
/// (`AuthFailureThrottle`); the presented text is never logged or kept.
package struct MachineAuth: Sendable {
    /// What a request's credentials come to.
    package enum Result: Sendable {
        case granted(APIKeyGrant)
        /// No credentials at all.
        case missing
        /// A key that is unknown, revoked or expired (the answer does not say which).
        case refused
        /// Over the key's rate, or the address's wrong guesses: retry after this many seconds.
        case limited(retryAfter: Int, reason: String)
    }

    package let ring: APIKeyRing
    private let bootstrap: [APIKeyDigest: APIKeyGrant]
    package let throttle: AuthFailureThrottle

    package init(ring: APIKeyRing, adminTokens: [AdminToken], throttle: AuthFailureThrottle = AuthFailureThrottle()) {
        self.ring = ring
        var bootstrap: [APIKeyDigest: APIKeyGrant] = [:]
        for token in adminTokens {
            let principal = Principal(kind: .adminToken, id: "admin-token:\(token.label)", name: token.label, role: .admin, teamID: nil)
            bootstrap[APIKeySecret.digest(String(decoding: token.secret, as: UTF8.self))] = APIKeyGrant(principal: principal, scopes: .all, models: nil)
        }
        self.bootstrap = bootstrap
        self.throttle = throttle
    }

    /// The key in an `Authorization: Bearer <key>` header (or gRPC's `authorization`
    /// metadata), nil when there is none.
    package static func bearer(_ header: String?) -> Substring? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let key = header.dropFirst(7).drop { $0 == " " }
        return key.isEmpty ? nil : key
    }

    /// Checks `key` (nil: none was sent) from `address`.
    package func authenticate(_ key: Substring?, address: String, now: Date = Date()) -> Result {
        guard let key else { return .missing }
        if let wait = throttle.blocked(address, now: now) { return .limited(retryAfter: wait, reason: "Too many wrong keys from this address; try again later.") }
        let digest = APIKeySecret.digest(key)
        if let grant = bootstrap[digest] { return .granted(grant) }
        switch ring.check(digest, now: now) {
        case .granted(let grant):
            return .granted(grant)
        case .limited(let wait):
            return .limited(retryAfter: wait, reason: "This key is over its rate limit; try again later.")
        case .unknown, .expired:
            throttle.failed(address, now: now)
            return .refused
        }
    }
}
