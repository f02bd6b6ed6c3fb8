import Foundation

/// Single sign-on with an OpenID Connect provider, read from the environment. Unset
/// `OIDC_ISSUER` means no single sign-on (the sign-in page shows no provider button); once it
/// is set, the client id, secret and our callback address are required, so a half-configured
/// provider stops the server at start instead of failing at someone's first sign-in.
package struct OIDCSettings: Sendable, Equatable {
    /// `OIDC_ISSUER`: the provider's issuer, exactly as its discovery document and ID tokens
    /// name it (`https://id.example.com/realms/credit`). Discovery is read from
    /// `<issuer>/.well-known/openid-configuration`. Must be https, except on loopback (tests).
    package var issuer: String
    /// `OIDC_CLIENT_ID`: this application's client id at the provider; ID tokens must name it
    /// in `aud`.
    package var clientID: String
    /// `OIDC_CLIENT_SECRET`: the client's secret for the token endpoint. Never logged.
    package var clientSecret: String
    /// `OIDC_REDIRECT_URL`: our callback, as registered at the provider
    /// (`https://loanrisk.example.com/sign-in/oidc/callback`).
    package var redirectURL: String
    /// `OIDC_PROVIDER_NAME`: how the sign-in button names the provider (default "single sign-on").
    package var providerName: String
    /// `OIDC_GROUPS_CLAIM`: the ID token claim listing the person's groups (default `groups`).
    package var groupsClaim: String
    /// `OIDC_ROLE_MAP`: groups to roles (`risk-admins=admin,analysts=analyst`); the highest
    /// role any of the person's groups maps to wins, and a person in none is refused.
    package var roleMap: OIDCRoleMap
    /// `OIDC_TEAM_CLAIM`: a claim naming the person's team (created on first sign-in if no team
    /// has that name). Unset, or absent from a token: the team is `defaultTeam`.
    package var teamClaim: String?
    /// `OIDC_DEFAULT_TEAM`: the team of people whose token names none (default `default`).
    package var defaultTeam: String
    /// The key the pending sign-in cookie is signed with: `SESSION_SECRET` when set, else the
    /// client secret — both are the same on every instance behind a load balancer, so a sign-in
    /// started on one instance finishes on the other.
    package var sealKey: PendingSignInSealKey

    package init(
        issuer: String, clientID: String, clientSecret: String, redirectURL: String, providerName: String = "single sign-on",
        groupsClaim: String = "groups", roleMap: OIDCRoleMap, teamClaim: String? = nil, defaultTeam: String = "default", sessionSecret: String? = nil
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURL = redirectURL
        self.providerName = providerName
        self.groupsClaim = groupsClaim
        self.roleMap = roleMap
        self.teamClaim = teamClaim
        self.defaultTeam = defaultTeam
        self.sealKey = PendingSignInSealKey(secret: sessionSecret ?? clientSecret)
    }

    /// The settings from the environment, or nil when `OIDC_ISSUER` is unset or empty.
    package init?(environment: [String: String]) throws(ConfigurationError) {
        guard let issuer = environment["OIDC_ISSUER"], !issuer.isEmpty else { return nil }
        func required(_ name: String) throws(ConfigurationError) -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw ConfigurationError("\(name) must be set when OIDC_ISSUER is (single sign-on needs the issuer, client id, client secret, redirect URL and role map).")
            }
            return value
        }
        func optional(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let trimmedIssuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        try Self.checkAddress("OIDC_ISSUER", trimmedIssuer)
        let redirect = try required("OIDC_REDIRECT_URL")
        try Self.checkAddress("OIDC_REDIRECT_URL", redirect)
        self.init(
            issuer: trimmedIssuer, clientID: try required("OIDC_CLIENT_ID"), clientSecret: try required("OIDC_CLIENT_SECRET"), redirectURL: redirect,
            providerName: optional("OIDC_PROVIDER_NAME") ?? "single sign-on", groupsClaim: optional("OIDC_GROUPS_CLAIM") ?? "groups",
            roleMap: try OIDCRoleMap(parsing: try required("OIDC_ROLE_MAP")), teamClaim: optional("OIDC_TEAM_CLAIM"),
            defaultTeam: optional("OIDC_DEFAULT_TEAM") ?? "default", sessionSecret: optional("SESSION_SECRET"))
    }

    /// An https address, or http on a loopback host: tokens and codes never cross a network in clear.
    static func checkAddress(_ name: String, _ text: String) throws(ConfigurationError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            scheme == "https" || (scheme == "http" && OIDCSettings.isLoopback(host))
        else {
            throw ConfigurationError("\(name)='\(text)' must be an https:// address (http:// only on 127.0.0.1, ::1 or localhost).")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
