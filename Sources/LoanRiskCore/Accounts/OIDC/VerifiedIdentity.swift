/// A person the provider vouched for, after every check on the ID token passed and their
/// groups mapped to a role: what signing them in needs. `issuer` and `subject` together name
/// them for good (an email or user name can change or be reused; `sub` may not).
package struct VerifiedIdentity: Sendable, Equatable {
    package var issuer: String
    package var subject: String
    /// The name to show and log: `preferred_username`, else `email`, else `name`, else `sub`.
    package var preferredName: String
    /// The display name (`name`), if the provider sent one.
    package var name: String?
    package var email: String?
    package var groups: [String]
    package var role: Role
    package var teamName: String
}
