/// What a checked key lets its request do: who it is (the principal the logs name), its
/// scopes, and the models it may use.
package struct APIKeyGrant: Sendable {
    package var principal: Principal
    package var scopes: APIKeyScopes
    /// nil: every model.
    package var models: Set<String>?

    package init(principal: Principal, scopes: APIKeyScopes, models: Set<String>?) {
        self.principal = principal
        self.scopes = scopes
        self.models = models
    }

    package func mayUse(model: String) -> Bool { models?.contains(model) ?? true }
}
