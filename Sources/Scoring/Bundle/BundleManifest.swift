import Foundation

/// The parts of `bundle.json` (format version 1, documented in Data/models/README.md) that
/// scoring and its explanations need. Metrics and the rest are read by the app from the same
/// file when it shows them.
public struct BundleManifest: Codable, Sendable {
    public struct Target: Codable, Sendable {
        public var column: String
        public var positiveLabel: String
        public var definition: String
    }

    public struct Policy: Codable, Sendable {
        public var approveBelow: Double
        public var declineAtOrAbove: Double
        /// The smallest contribution (log-odds) that is a principal reason; nil: `ReasonWriter.defaultFloor`.
        public var reasonFloor: Double?
        /// The inputs without which no automatic approval is possible (`InputCompleteness`);
        /// nil or empty: none.
        public var keyInputs: [String]?
        /// `hold_on_drift` (optional, default true): on an upload whose drift is major, the
        /// applicants the model would approve are marked review instead (`DriftHold`).
        public var holdOnDrift: Bool?
    }

    /// A column that is a prohibited basis of a credit decision (ECOA / Regulation B
    /// §1002.6): the bundle records it so that a model using it is refused at load, and so
    /// that forms and templates never ask for it. An upload may carry it; it is ignored.
    public struct ProtectedInput: Codable, Sendable {
        public var name: String
        public var basis: String
        public var phrase: String?
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
    /// The training distribution of each raw feature; nil in bundles written without one.
    /// Reason codes read it to say where an applicant's value stands among past borrowers.
    public var reference: Reference?

    /// `reference` in `bundle.json`: the training distribution of each raw feature, and of the
    /// out-of-fold probability and score, for reasons' percentiles and drift.
    public struct Reference: Codable, Sendable {
        public var features: [String: FeatureReference]?
        public var probability: FeatureReference?
        public var score: FeatureReference?

        public init(features: [String: FeatureReference]? = nil, probability: FeatureReference? = nil, score: FeatureReference? = nil) {
            self.features = features
            self.probability = probability
            self.score = score
        }
    }

    /// Protected columns (optional; none in bundles written before they were recorded).
    public var protectedInputs: [ProtectedInput]?
    /// {model feature: +1 | -1} (optional): the model's risk never falls (+1) or never rises
    /// (-1) as the feature rises, as trained with LightGBM's monotone constraints.
    public var monotoneConstraints: [String: Int]?

    /// The parts of `metrics` that explanations quote (optional).
    public var metrics: Metrics?

    public struct Metrics: Codable, Sendable {
        public struct CrossValidation: Codable, Sendable {
            /// The observed bad rate of the training rows.
            public var badRate: Double?
        }

        public var cv: CrossValidation?
    }

    /// `drift_bands` in bundle.json (optional): where PSI turns moderate and major.
    public var driftBands: DriftBands?

    /// One raw feature's training distribution. Numeric features have bins: bin i holds
    /// `edges[i] <= x < edges[i+1]` (the last also `x == edges.last`), and `proportions[i]`
    /// is its share of all training rows, so the proportions and `missing` sum to 1.
    /// Categorical features have a proportion per category instead. Every field is optional:
    /// a feature without bins simply gets reasons without a percentile.
    public struct FeatureReference: Codable, Sendable, Equatable {
        public var kind: String?
        public var edges: [Double]?
        public var proportions: [Double]?
        public var categories: [String]?
        public var missing: Double?

        public init(kind: String? = nil, edges: [Double]? = nil, proportions: [Double]? = nil, categories: [String]? = nil, missing: Double? = nil) {
            self.kind = kind
            self.edges = edges
            self.proportions = proportions
            self.categories = categories
            self.missing = missing
        }
    }

    /// Decodes `bundle.json` data (snake_case keys).
    public static func decode(_ data: Data) throws -> BundleManifest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(BundleManifest.self, from: data)
    }
}
