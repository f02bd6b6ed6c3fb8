import Foundation

/// The whole `bundle.json` (format version 1, Data/models/README.md) that `BundleDraft` writes
/// around an imported model: what `BundleManifest` reads, plus the policy's rates on the
/// sample, the sample's metrics and where every figure came from. Encoded with snake_case keys
/// (`encoded()`), as the training pipeline writes them.
public struct BundleDocument: Codable, Sendable {
    public struct Target: Codable, Sendable {
        public var column: String
        public var positiveLabel: String
        public var definition: String
    }

    public struct Policy: Codable, Sendable {
        public var approveBelow: Double
        public var declineAtOrAbove: Double
        public var keyInputs: [String]
        public var holdOnDrift: Bool
        /// How the cut-offs were chosen, in words.
        public var basis: String
        public var approvalRate: Double
        public var reviewRate: Double
        public var declineRate: Double
        /// With outcomes in the sample only.
        public var badRateAmongApproved: Double?
        public var recallOfDefaulters: Double?
        public var ratesFrom: String
    }

    /// `score_scaling` with its derived factor and offset, as the pipeline writes them.
    public struct Scaling: Codable, Sendable {
        public var basePoints: Double
        public var baseOdds: Double
        public var pdo: Double
        public var factor: Double
        public var offset: Double

        init(_ scaling: ScoreScaling) {
            basePoints = scaling.basePoints
            baseOdds = scaling.baseOdds
            pdo = scaling.pdo
            factor = scaling.factor
            offset = scaling.offset
        }
    }

    public struct Metrics: Codable, Sendable {
        /// The model on the sample rows with outcomes (nil without `--target`).
        public var sample: SampleMetrics?
    }

    public struct Reference: Codable, Sendable {
        public var binning: String
        public var source: String
        public var features: [String: BundleManifest.FeatureReference]
        public var probability: BundleManifest.FeatureReference
        public var score: BundleManifest.FeatureReference
    }

    public struct Provenance: Codable, Sendable {
        public var modelSha256: String
        public var modelFile: String
        public var modelKind: String
        public var library: String
        public var sampleFile: String?
        public var sampleSha256: String
        public var sampleRows: Int
        public var writtenBy: String
    }

    public var formatVersion = 1
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
    public var scoreScaling: Scaling
    public var metrics: Metrics
    public var reference: Reference
    public var provenance: Provenance

    /// Pretty-printed JSON with snake_case keys in sorted order (the same bundle is the same
    /// bytes), numbers at full precision, ending in a newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
