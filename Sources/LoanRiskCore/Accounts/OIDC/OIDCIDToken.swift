import Foundation
import JWTKit

/// An ID token's claims (OpenID Connect Core §2): the standard ones typed, and every other
/// claim kept as a string or a list of strings, because which claim holds the groups or the
/// team is configuration (`OIDC_GROUPS_CLAIM`, `OIDC_TEAM_CLAIM`), not code.
package struct OIDCIDToken: JWTIdentityToken, Equatable {
    package var issuer: IssuerClaim
    package var subject: SubjectClaim
    package var audience: AudienceClaim
    package var expires: ExpirationClaim
    package var issuedAt: IssuedAtClaim
    package var nonce: String?
    package var name: String?
    package var preferredUsername: String?
    package var email: String?
    /// The remaining claims that are a string or a list of strings, by name.
    package var otherClaims: [String: ClaimValue]

    /// A claim's value when it is text: one string, or a list of them.
    package enum ClaimValue: Codable, Sendable, Equatable {
        case string(String)
        case strings([String])

        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .string(text)
            } else {
                self = .strings(try container.decode([String].self))
            }
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .strings(let list): try container.encode(list)
            }
        }

        /// The value as a list: a single string is a list of one.
        package var list: [String] {
            switch self {
            case .string(let text): [text]
            case .strings(let list): list
            }
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer = "iss", subject = "sub", audience = "aud", expires = "exp", issuedAt = "iat"
        case nonce, name, email
        case preferredUsername = "preferred_username"
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(IssuerClaim.self, forKey: .issuer)
        subject = try container.decode(SubjectClaim.self, forKey: .subject)
        audience = try container.decode(AudienceClaim.self, forKey: .audience)
        expires = try container.decode(ExpirationClaim.self, forKey: .expires)
        issuedAt = try container.decode(IssuedAtClaim.self, forKey: .issuedAt)
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        preferredUsername = try container.decodeIfPresent(String.self, forKey: .preferredUsername)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        let standard = Set(CodingKeys.allCases.map(\.rawValue))
        let all = try decoder.container(keyedBy: AnyKey.self)
        var others: [String: ClaimValue] = [:]
        for key in all.allKeys where !standard.contains(key.stringValue) {
            // Claims of other shapes (numbers, objects) are not read by LoanRisk: skipped.
            if let value = try? all.decode(ClaimValue.self, forKey: key) { others[key.stringValue] = value }
        }
        otherClaims = others
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(subject, forKey: .subject)
        try container.encode(audience, forKey: .audience)
        try container.encode(expires, forKey: .expires)
        try container.encode(issuedAt, forKey: .issuedAt)
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(preferredUsername, forKey: .preferredUsername)
        try container.encodeIfPresent(email, forKey: .email)
        var all = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in otherClaims { try all.encode(value, forKey: AnyKey(stringValue: key)) }
    }

    /// Expiry, and an issue time not in the future (a minute's leeway for clock skew). The
    /// signature and audience are checked by jwt-kit; issuer and nonce by `OIDCClient`, which
    /// knows what to expect.
    package func verify(using _: some JWTAlgorithm) throws {
        try expires.verifyNotExpired()
        guard issuedAt.value <= Date().addingTimeInterval(60) else {
            throw JWTError.claimVerificationFailure(failedClaim: issuedAt, reason: "issued in the future")
        }
    }
}
