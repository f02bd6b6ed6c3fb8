import Foundation

/// The parts of `bundle.json` (format version 1, documented in Data/models/README.md) that
/// scoring needs. Metrics, reference distributions and the rest are read by the app from
/// the same file when it shows them.
public struct BundleManifest: Codable, Sendable {
    public struct Target: Codable, Sendable {
        public var column: String
        public var positiveLabel: String
        public var definition: String
    }

    public struct Policy: Codable, Sendable {
        public var approveBelow: Double
        public var declineAtOrAbove: Double
    }

    public struct Provenance: Codable, Sendable {
        public var modelSha256: String
    }

    public var formatVersion: Int
    public var name: String
    public var version: String
    public var created: String
    public var title: String
    public var description: String
    public var target: Target
    public var idColumn: String?
    public var features: [FeatureSpec]
    public var derivedFeatures: [DerivedFeature]
    public var modelFeatures: [String]
    public var policy: Policy
    public var scoreScaling: ScoreScaling
    public var provenance: Provenance

    /// Decodes `bundle.json` data (snake_case keys).
    public static func decode(_ data: Data) throws -> BundleManifest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(BundleManifest.self, from: data)
    }
}
