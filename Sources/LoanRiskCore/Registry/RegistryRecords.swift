import Foundation

/// One stored model version (`model_version`): immutable once written.
public struct ModelVersionRecord: Codable, Sendable {
    package static let table = "model_version"

    public var name: String
    public var version: String
    public var sha256: String
    public var modelText: Data
    public var bundleJSON: Data?
    public var goldenCSV: Data?
    public var createdAt: Date
    public var createdBy: String

    package enum CodingKeys: String, CodingKey {
        case name, version, sha256
        case modelText = "model_text", bundleJSON = "bundle_json", goldenCSV = "golden_csv"
        case createdAt = "created_at", createdBy = "created_by"
    }

    /// The columns without the files, for listings.
    package static let summaryColumns = "name, version, sha256, created_at, created_by, golden_csv IS NOT NULL AS has_golden_rows"
}

/// What serves under a model name: its champion, or its challenger.
public enum ModelAlias: String, Codable, Sendable, CaseIterable {
    case champion
    case challenger
}

/// One alias's current version (`model_alias`).
public struct ModelAliasRecord: Codable, Sendable, Equatable {
    package static let table = "model_alias"

    public var name: String
    public var alias: ModelAlias
    public var version: String
    public var setAt: Date
    public var setBy: String

    package enum CodingKeys: String, CodingKey {
        case name, alias, version
        case setAt = "set_at", setBy = "set_by"
    }
}

/// One move of an alias (`model_alias_event`): the registry's history.
public struct AliasEvent: Codable, Sendable, Equatable {
    package static let table = "model_alias_event"

    public var id: Int64?
    public var name: String
    public var alias: ModelAlias
    public var fromVersion: String?
    public var toVersion: String?
    public var actor: String
    public var at: Date
    public var forced: Bool

    package enum CodingKeys: String, CodingKey {
        case id, name, alias, actor, at, forced
        case fromVersion = "from_version", toVersion = "to_version"
    }
}

/// A version as listings show it: no files, its aliases.
public struct ModelVersionSummary: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var sha256: String
    public var createdAt: Date
    public var createdBy: String
    public var aliases: [ModelAlias]
    /// Who set each alias it holds, and when.
    public var promotedBy: String?
    public var promotedAt: Date?
    public var hasGoldenRows: Bool

    package enum CodingKeys: String, CodingKey {
        case name, version, sha256, aliases
        case createdAt = "created_at", createdBy = "created_by", promotedBy = "promoted_by", promotedAt = "promoted_at"
        case hasGoldenRows = "has_golden_rows"
    }
}
