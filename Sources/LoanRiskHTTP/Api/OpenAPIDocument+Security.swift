extension OpenAPIDocument {
    /// The one security scheme: an API key (or the bootstrap `ADMIN_TOKEN`) sent as a bearer token.
    static let bearerScheme = OpenAPI.SecurityScheme(
        type: "http", scheme: "bearer",
        description: "An API key an admin made (`loanrisk keys create`, `POST /admin/v1/keys` or the /admin/keys page), or one of ADMIN_TOKEN's. Its scopes say which surfaces it reaches: predict (/api/v1), oip (/v2), grpc, models (/admin/v1/models), admin (all of /admin/v1); it may be limited to some models.")

    /// `security: [{bearerAuth: []}]`.
    static let bearerSecurity: [[String: [String]]] = [["bearerAuth": []]]

    /// Every operation of `/api/v1`, `/v2` and `/admin/v1` needs a key, and may answer 401
    /// (no key, or one unknown, expired or revoked: `WWW-Authenticate: Bearer`), 403 (a key
    /// without the scope or the model) and 429 (over the key's rate, or too many wrong keys
    /// from one address: `Retry-After`), in the surface's error shape.
    static func secured(_ paths: [String: OpenAPI.PathItem]) -> [String: OpenAPI.PathItem] {
        var secured = paths
        for (path, item) in paths where path.hasPrefix("/api/v1") || path.hasPrefix("/v2") || path.hasPrefix("/admin/v1") {
            let schema: OpenAPI.Schema = path.hasPrefix("/v2") ? .ref("InferenceError") : .ref("Problem")
            let mediaType = path.hasPrefix("/v2") ? "application/json" : "application/problem+json"
            func guarded(_ operation: OpenAPI.Operation?) -> OpenAPI.Operation? {
                guard var operation else { return nil }
                operation.security = bearerSecurity
                for (code, meaning) in [
                    ("401", "No key, or one unknown, expired or revoked (`WWW-Authenticate: Bearer realm=\"loanrisk\"`)"),
                    ("403", "The key's scopes or models do not include this"),
                    ("429", "Over the key's rate limit, or too many wrong keys from this address (`Retry-After` seconds)"),
                ] {
                    operation.responses[code] = OpenAPI.Response(description: meaning, content: [mediaType: OpenAPI.MediaType(schema: schema)])
                }
                return operation
            }
            secured[path] = OpenAPI.PathItem(get: guarded(item.get), put: guarded(item.put), post: guarded(item.post), delete: guarded(item.delete))
        }
        return secured
    }
}
