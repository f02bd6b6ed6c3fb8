/// The parts of a provider's discovery document (`/.well-known/openid-configuration`,
/// OpenID Connect Discovery 1.0 §3) that the authorization code flow uses.
package struct OIDCProviderMetadata: Codable, Sendable, Equatable {
    package var issuer: String
    package var authorizationEndpoint: String
    package var tokenEndpoint: String
    package var jwksURI: String
    package var userinfoEndpoint: String?
    package var tokenEndpointAuthMethodsSupported: [String]?
    package var idTokenSigningAlgValuesSupported: [String]?
    package var codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case userinfoEndpoint = "userinfo_endpoint"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }

    /// How the client authenticates at the token endpoint: `client_secret_basic` unless the
    /// provider lists only `client_secret_post` (the spec's default is basic).
    package var clientAuthentication: ClientAuthentication? {
        let methods = tokenEndpointAuthMethodsSupported ?? ["client_secret_basic"]
        if methods.contains("client_secret_basic") { return .basic }
        if methods.contains("client_secret_post") { return .post }
        return nil
    }

    package enum ClientAuthentication: Sendable { case basic, post }
}

/// The token endpoint's answer to a code exchange (RFC 6749 §5.1 plus `id_token`).
package struct OIDCTokenResponse: Decodable, Sendable {
    package var idToken: String?
    package var accessToken: String?
    package var tokenType: String?

    enum CodingKeys: String, CodingKey {
        case idToken = "id_token"
        case accessToken = "access_token"
        case tokenType = "token_type"
    }
}

/// An OAuth error answer (`{"error": "invalid_grant", "error_description": …}`).
package struct OAuthErrorResponse: Decodable, Sendable {
    package var error: String
    package var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}
