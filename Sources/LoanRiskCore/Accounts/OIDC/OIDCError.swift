/// Why a single sign-on did not finish, worded for the person at the browser (the page shows
/// `message`) and for the operator (the log shows `logDetail`, never a token or secret).
package enum OIDCError: Error, Equatable, Sendable {
    /// The provider could not be reached or answered something unusable (discovery, JWKS, token endpoint).
    case providerUnavailable(String)
    /// The provider sent the person back with an error (`access_denied`, …).
    case providerRefused(String)
    /// No pending sign-in, or it expired, or its state does not match the answer.
    case signInExpired
    /// The ID token failed a check: signature, issuer, audience, expiry, nonce.
    case invalidToken(String)
    /// The person's groups map to no role.
    case noRole(groups: [String])

    package var message: String {
        switch self {
        case .providerUnavailable:
            "The sign-in provider could not be reached or gave an answer LoanRisk cannot use. Try again in a minute; if it keeps happening, tell your administrator."
        case .providerRefused(let error):
            "The sign-in provider did not sign you in (\(error)). Try again, or sign in with a password."
        case .signInExpired:
            "This sign-in has expired or was started in another browser. Start again from the sign-in page."
        case .invalidToken:
            "The sign-in provider's answer could not be verified, so you were not signed in. Start again; if it keeps happening, tell your administrator."
        case .noRole:
            "You signed in at the provider, but none of your groups gives access to LoanRisk. Ask your administrator to add you to a group that does."
        }
    }

    /// What the server log records about the failure.
    package var logDetail: String {
        switch self {
        case .providerUnavailable(let detail), .invalidToken(let detail): detail
        case .providerRefused(let error): "provider error \(error)"
        case .signInExpired: "no pending sign-in matches the answer"
        case .noRole(let groups): "no role for groups [\(groups.joined(separator: ", "))]"
        }
    }
}
