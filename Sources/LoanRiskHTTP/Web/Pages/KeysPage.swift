import Foundation
import LoanRiskCore

/// `keys.mustache`: the API keys (no secrets), a form to make one, and — right after making
/// one, this once — the new key's text.
struct KeysPage: PageView {
    struct Entry: MustacheValues {
        let id: String
        let name: String
        let prefix: String
        let scopes: String
        let models: String
        let created: String
        let expires: String
        let lastUsed: String
        let state: String
        let isLive: Bool
        let revokeAction: String
    }

    struct ScopeChoice: MustacheValues {
        let value: String
        let label: String
        let checked: Bool
    }

    static let template = "keys"
    let base: PageBase
    let entries: [Entry]
    let hasEntries: Bool
    let scopes: [ScopeChoice]
    /// The key just made, shown once; nil otherwise.
    let created: Created?
    /// Why the form was refused; nil when it was not.
    let problem: String?
    /// The form's values, kept when it was refused.
    let name: String
    let models: String
    let expires: String
    let rate: String

    struct Created: MustacheValues {
        let name: String
        let key: String
    }

    init(
        base: PageBase, keys: [APIKeyRecord], created: Created? = nil, problem: String? = nil, form: [String: String] = [:], now: Date = Date()
    ) {
        self.base = base
        entries = keys.map { key in
            let state = key.revokedAt.map { "Revoked \(Self.day($0))" } ?? (key.isLive(at: now) ? "Live" : "Expired")
            return Entry(
                id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes.map(\.rawValue).joined(separator: ", "),
                models: key.models.isEmpty ? "all" : key.models.joined(separator: ", "), created: Self.day(key.createdAt),
                expires: key.expiresAt.map(Self.day) ?? "never", lastUsed: key.lastUsedAt.map(Self.day) ?? "never", state: state,
                isLive: key.revokedAt == nil, revokeAction: "/admin/keys/\(key.id)/revoke")
        }
        hasEntries = !keys.isEmpty
        scopes = APIKeyScope.allCases.map { scope in
            ScopeChoice(value: scope.rawValue, label: Self.label(scope), checked: form["scope_\(scope.rawValue)"] != nil)
        }
        self.created = created
        self.problem = problem
        name = form["name"] ?? ""
        models = form["models"] ?? ""
        expires = form["expires"] ?? ""
        rate = form["rate_per_minute"] ?? ""
    }

    static func label(_ scope: APIKeyScope) -> String {
        switch scope {
        case .predict: "predict — the JSON API, /api/v1"
        case .oip: "oip — the Open Inference Protocol, /v2"
        case .grpc: "grpc — the inference protocol over gRPC"
        case .models: "models — the model registry, /admin/v1/models"
        case .admin: "admin — all of /admin/v1"
        }
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}
