/// What an API key may reach. A key holds only the scopes it was given: `admin` does not
/// include `predict`, so a key that manages keys cannot also score applicants unless asked.
package enum APIKeyScope: String, Codable, Sendable, CaseIterable {
    /// The JSON and CSV API, `/api/v1`.
    case predict
    /// The Open Inference Protocol over REST, `/v2`.
    case oip
    /// The Open Inference Protocol over gRPC (`GRPC_PORT`).
    case grpc
    /// The model registry under `/admin/v1/models`.
    case models
    /// All of `/admin/v1`: the registry, keys, the audit log, review decisions.
    case admin

    /// Scopes as stored and listed: space-separated names.
    package static func parse(_ text: String) throws(APIKeyError) -> [APIKeyScope] {
        try text.split(whereSeparator: { $0 == " " || $0 == "," }).map { name throws(APIKeyError) in
            guard let scope = APIKeyScope(rawValue: String(name)) else {
                throw .invalid("'\(name.prefix(20))' is not a scope; the scopes are \(APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return scope
        }
    }
}

/// A set of scopes as bits, checked on every request without hashing anything.
package struct APIKeyScopes: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8

    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package init(_ scopes: some Sequence<APIKeyScope>) {
        var bits: UInt8 = 0
        for scope in scopes { bits |= Self.bit(scope) }
        rawValue = bits
    }

    /// Every scope: the bootstrap `ADMIN_TOKEN`.
    package static let all = APIKeyScopes(APIKeyScope.allCases)

    package func has(_ scope: APIKeyScope) -> Bool { rawValue & Self.bit(scope) != 0 }

    private static func bit(_ scope: APIKeyScope) -> UInt8 {
        UInt8(1) << UInt8(APIKeyScope.allCases.firstIndex(of: scope) ?? 0)
    }
}
