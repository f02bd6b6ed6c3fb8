import Foundation

/// A model ready to score: the model (LightGBM, XGBoost, scikit-learn or a scorecard: any
/// `ScoringModel`) with its input schema, derived features, decision policy and score scale.
/// Loaded from a bundle folder (the model file + `bundle.json`) or made from a bare model
/// file, whose schema is inferred and whose policy is even odds.
///
/// A class, immutable: every request, observation and audit entry holds the bundle it was
/// scored with, and a reference is one retain where a struct of this many parts was dozens
/// (measured in the single-applicant profile, issue 16).
public final class ModelBundle: Sendable {
    public let name: String
    public let version: String
    public let title: String
    public let model: any ScoringModel
    /// The columns a user supplies.
    public let schema: FeatureSchema
    public let pipeline: FeaturePipeline
    /// Reads cells for `schema`; built once here, since every request scores with it.
    public let encoder: FeatureEncoder
    /// Words the reasons; built once here too, since every explained request uses it.
    public let reasonWriter: ReasonWriter
    public let policy: DecisionPolicy
    /// Which inputs an automatic approval needs, and how many a score needs at all.
    public let completeness: InputCompleteness
    public let scaling: ScoreScaling
    /// The decoded `bundle.json`; nil for a bare model.
    public let manifest: BundleManifest?
    /// `bundle.json` as it was registered, for the parts only the model card quotes
    /// (metrics, fair lending); nil for a bare model.
    public let manifestData: Data?
    /// The inputs' and the score's training distributions as PSI bins; nil for a bare model,
    /// which has none to compare with.
    public let drift: DriftProfile?
    /// sha256 of the model file (lowercase hex): with name and version, what identifies exactly
    /// which model made a decision.
    public let sha256: String
    /// What a user of this model must know before relying on it (inputs that look like a
    /// prohibited basis of a credit decision): shown on its model card and in every answer.
    public let warnings: [String]

    /// Wraps a bare model: schema from the model file, decline at p ≥ 0.5, the model's own
    /// points scale (a scorecard's) or the standard one. Its version, having none of its
    /// own, is the first 12 hex digits of `sha256` (content-addressed: the same file is always the same version); "unversioned" for a
    /// model built in memory without its file.
    public init(bareModel model: any ScoringModel, name: String, sha256: String? = nil) {
        self.name = name
        self.sha256 = sha256 ?? ""
        version = sha256.map { String($0.prefix(12)) } ?? "unversioned"
        title = name
        self.model = model
        schema = FeatureSchema(features: model.inferredFeatures)
        encoder = FeatureEncoder(schema: schema)
        pipeline = FeaturePipeline(identityOver: model.featureCount)
        policy = .even
        completeness = InputCompleteness(schema: schema)
        scaling = model.scoreScaling ?? .standard
        manifest = nil
        manifestData = nil
        drift = nil
        reasonWriter = ReasonWriter(model: model, schema: schema, manifest: nil)
        warnings = ProhibitedBasis.warnings(forInputs: model.featureNames)
    }

    /// Loads a bundle folder, checking that its model file (`model.txt`, `model.json`, …:
    /// `ModelFile.bundleFileNames`) is the one `bundle.json` was written for (sha256) and
    /// that the two agree on features and categories.
    public convenience init(directory: URL) throws(BundleLoadError) {
        let modelURL = Self.modelFile(in: directory)
        let manifestURL = directory.appendingPathComponent("bundle.json")
        let manifestData: Data
        let modelData: Data
        do {
            manifestData = try Data(contentsOf: manifestURL)
        } catch {
            throw BundleLoadError("Cannot read \(manifestURL.path): \(error.localizedDescription)")
        }
        do {
            modelData = try Data(contentsOf: modelURL)
        } catch {
            throw BundleLoadError("Cannot read \(modelURL.path): \(error.localizedDescription)")
        }
        try self.init(modelData: modelData, manifestData: manifestData, modelSource: modelURL.path, manifestSource: manifestURL.path)
    }

    /// Loads a bundle from its two files' bytes (as the model registry stores them); the
    /// sources name them in error messages.
    public init(modelData: Data, manifestData: Data, modelSource: String = "model.txt", manifestSource: String = "bundle.json") throws(BundleLoadError) {
        let manifest: BundleManifest
        do {
            manifest = try BundleManifest.decode(manifestData)
        } catch {
            throw BundleLoadError("Cannot read \(manifestSource): \(Self.explain(error))")
        }
        guard manifest.formatVersion == 1 else {
            throw BundleLoadError("\(manifestSource) has format_version \(manifest.formatVersion); this LoanRisk reads version 1.")
        }
        let digest = SHA256.hexDigest(modelData)
        guard digest == manifest.provenance.modelSha256.lowercased() else {
            throw BundleLoadError(
                "\(modelSource) is not the model this bundle was made for: its sha256 is \(digest), bundle.json records \(manifest.provenance.modelSha256).")
        }
        let model = try ModelFile.load(modelData, source: modelSource)
        sha256 = digest
        guard manifest.modelFeatures == model.featureNames else {
            throw BundleLoadError("bundle.json's model_features do not match the model's feature_names in \(modelSource).")
        }
        try Self.checkCategories(manifest: manifest, model: model)
        try Self.checkProtectedInputs(manifest: manifest, model: model, source: manifestSource)
        self.name = manifest.name
        version = manifest.version
        title = manifest.title
        self.model = model
        schema = FeatureSchema(features: manifest.features, idColumn: manifest.idColumn)
        encoder = FeatureEncoder(schema: schema)
        pipeline = try FeaturePipeline(raw: manifest.features, derived: manifest.derivedFeatures, modelFeatures: manifest.modelFeatures)
        guard manifest.policy.approveBelow <= manifest.policy.declineAtOrAbove else {
            throw BundleLoadError("bundle.json's policy approves below \(manifest.policy.approveBelow) but declines from \(manifest.policy.declineAtOrAbove).")
        }
        policy = DecisionPolicy(approveBelow: manifest.policy.approveBelow, declineAtOrAbove: manifest.policy.declineAtOrAbove)
        completeness = try InputCompleteness(schema: schema, keyInputs: manifest.policy.keyInputs ?? [])
        scaling = manifest.scoreScaling
        self.manifest = manifest
        self.manifestData = manifestData
        drift = DriftProfile(schema: schema, manifest: manifest)
        reasonWriter = ReasonWriter(model: model, schema: schema, manifest: manifest)
        let declared = Set((manifest.protectedInputs ?? []).map(\.name))
        warnings = ProhibitedBasis.warnings(forInputs: manifest.features.map(\.name).filter { !declared.contains($0) })
    }

    /// A protected column (a prohibited basis) is never a model input, never read by a
    /// derived feature, and never asked of the applicant.
    private static func checkProtectedInputs(manifest: BundleManifest, model: any ScoringModel, source: String) throws(BundleLoadError) {
        let read = Set(model.featureNames + manifest.modelFeatures + manifest.derivedFeatures.flatMap(\.operation.inputs))
        let asked = Set(manifest.features.map(\.name))
        for input in manifest.protectedInputs ?? [] where read.contains(input.name) || asked.contains(input.name) {
            let use = read.contains(input.name) ? "the model uses it" : "its features ask the applicant for it"
            throw BundleLoadError(
                "\(source) declares '\(input.name)' protected (\(input.basis), a prohibited basis of a credit decision under ECOA / "
                    + "Regulation B §1002.6), but \(use). Retrain without it: a protected column may only be kept for the fairness report.")
        }
    }

    /// Features the model reads as categories must be declared categorical, and where the
    /// model fixes their labels (pandas categories, XGBoost's `cats`, an encoder's
    /// `categories_`) with exactly those labels in order: a label's position is its code.
    private static func checkCategories(manifest: BundleManifest, model: any ScoringModel) throws(BundleLoadError) {
        let specs = Dictionary(manifest.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let labelled = model.categoryLabels
        for feature in model.categoricalFeatures {
            let name = model.featureNames[feature]
            guard let spec = specs[name], spec.kind == .categorical else {
                throw BundleLoadError("The model treats '\(name)' as categorical but bundle.json does not declare it a categorical feature.")
            }
            if let labels = labelled[feature], spec.categories != labels {
                throw BundleLoadError(
                    "bundle.json's categories for '\(name)' differ from the model's own labels (\(labels.prefix(8).joined(separator: ", "))\(labels.count > 8 ? ", …" : "")): "
                        + "a category's position is its code, so they must be the same labels in the same order.")
            }
        }
    }

    /// The bundle folder's model file: the first of `ModelFile.bundleFileNames` present
    /// (`model.txt` when none is, so the message names the usual file).
    public static func modelFile(in directory: URL) -> URL {
        let candidates = ModelFile.bundleFileNames.map { directory.appendingPathComponent($0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    private static func explain(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\(([key] + context.codingPath.reversed()).reversed().map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default:
            return error.localizedDescription
        }
    }
}
