/// Who a request comes from, once it has been let in: a signed-in account, an API key, or the
/// bootstrap `ADMIN_TOKEN`. Its `name` is what the audit and access logs record as the caller;
/// its team decides which batches it can see at all (another team's are a 404).
package struct Principal: Sendable, Equatable {
    package enum Kind: String, Sendable, Codable {
        /// A person signed in with a password or single sign-on (a session cookie).
        case account
        /// A system with a key an admin created.
        case apiKey = "api_key"
        /// The bootstrap admin key from `ADMIN_TOKEN`.
        case adminToken = "admin_token"
    }

    package var kind: Kind
    /// The account's or key's id (stable; names can be reused after a deletion).
    package var id: String
    /// The account's sign-in name or the key's name: what the logs record.
    package var name: String
    package var role: Role
    /// The team whose batches this principal sees; nil only for the bootstrap admin token,
    /// which sees no team's batches.
    package var teamID: String?

    package init(kind: Kind, id: String, name: String, role: Role, teamID: String?) {
        self.kind = kind
        self.id = id
        self.name = name
        self.role = role
        self.teamID = teamID
    }

    /// How logs name the caller: `account:ana`, `key:loan-origination`, `admin-token:ops`.
    package var caller: String {
        switch kind {
        case .account: "account:\(name)"
        case .apiKey: "key:\(name)"
        case .adminToken: "admin-token:\(name)"
        }
    }
}
