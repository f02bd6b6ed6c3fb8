import Foundation

/// A bundle written around a model of any kind from a sample of applicants — what
/// `loanrisk bundle init` writes, so an imported model gets the template, form, model card,
/// drift monitoring and golden-row validation a model trained here has.
///
/// From the model: the features (its `featureNames`, in order, with the kinds and labels it
/// records). From the sample: number types and ranges, the template's example, the id column,
/// the drift reference (bins of every input, of the probability and of the score, binned as
/// the training pipeline bins them), the default policy's cut-offs, the golden rows, and with
/// outcomes the model's metrics on the sample. Nothing is derived: every model feature must
/// be a column of the sample.
public struct BundleDraft: Sendable {
    /// The default policy approves the lowest-risk 70 % of the sample, reviews the next 10 %
    /// and declines the riskiest 20 %: cut-offs at the sample's probability quantiles, so the
    /// decisions fall in proportions an analyst recognises whatever the model's calibration
    /// (even odds, p = 0.5, would approve nearly everyone on a 5 % bad-rate portfolio).
    public static let defaultShares = (approve: 0.7, review: 0.1)

    /// Everything bundle.json holds.
    public let document: BundleDocument
    /// `document` encoded.
    public let bundleJSON: Data
    /// `bundleJSON` read back as scoring reads it (so a draft that would not load is refused here).
    public let manifest: BundleManifest
    /// golden.csv: the first rows of the sample as given (numbers with decimal points), and
    /// the probability LoanRisk computes for each.
    public let golden: Data
    public let goldenRowCount: Int
    /// What the analyst should look at before registering the bundle, one sentence each.
    public let notes: [String]
    /// How the sample was read.
    public let decimalMark: DecimalMark
    public let delimiter: UInt8

    /// Writes the bundle around `model` (whose file is `modelData`, to be saved as
    /// `modelFileName`) from `sample` (CSV bytes; `sampleName` names it in provenance).
    public init(
        model: any ScoringModel, modelData: Data, modelFileName: String, sample sampleData: Data, sampleName: String? = nil,
        options: BundleDraftOptions
    ) throws(BundleDraftError) {
        guard options.goldenRows >= 1 else { throw BundleDraftError("Golden rows must be at least 1 (got \(options.goldenRows)).") }
        guard options.approveShare >= 0, options.reviewShare >= 0, options.approveShare + options.reviewShare <= 1 else {
            throw BundleDraftError(
                "The shares to approve (\(options.approveShare)) and review (\(options.reviewShare)) must be between 0 and 1 and add up to at most 1.")
        }
        if model.featureNames.contains("probability") {
            throw BundleDraftError("The model has a feature named 'probability', the column golden.csv keeps its expected values in: rename the feature.")
        }
        let schema = Self.readingSchema(for: model)
        let sample = try BundleDraftSample(data: sampleData, schema: schema)
        let features = Self.features(model: model, schema: schema, sample: sample)
        let outcomes = try Self.outcomes(options.target, sample: sample, features: Set(model.featureNames))
        let idColumn = try Self.idColumn(options.idColumn, sample: sample, excluding: Set(model.featureNames + [options.target?.column].compactMap { $0 }))

        var matrix = FeatureMatrix(featureCount: model.featureCount)
        matrix.reserveRows(sample.rowCount)
        for row in 0..<sample.rowCount { matrix.appendRow(sample.values.map { $0[row] }) }
        let probabilities = model.probabilities(matrix, threads: 1)

        let policy = Self.policy(probabilities, bad: outcomes, options: options)
        // A scorecard's own points scale, so the score is the card's; else the standard one.
        let scaling = model.scoreScaling ?? .standard
        let sampleLabel = sampleName.map { "the \(sample.rowCount) rows of \($0)" } ?? "the \(sample.rowCount) sample rows"
        let reference = Self.reference(features: features, sample: sample, probabilities: probabilities, scaling: scaling, sampleLabel: sampleLabel)

        let sha256 = SHA256.hexDigest(modelData)
        let metrics = outcomes.map { bad -> SampleMetrics in
            let known = bad.indices.filter { bad[$0] != nil }
            return SampleMetrics(probabilities: known.map { probabilities[$0] }, bad: known.compactMap { bad[$0] })
        }
        let created = ISO8601DateFormatter().string(from: options.created)
        let title = options.title ?? options.name
        let target: BundleDocument.Target
        if let given = options.target {
            target = BundleDocument.Target(
                column: given.column, positiveLabel: given.positiveLabel,
                definition: "'\(given.column)' is '\(given.positiveLabel)' (from the sample; write what counts as a default, over what horizon).")
        } else {
            target = BundleDocument.Target(
                column: "", positiveLabel: "",
                definition: "Not recorded: the model came without its outcome. Write here what it predicts (what counts as a default, over what horizon).")
        }
        document = BundleDocument(
            name: options.name, version: options.version ?? String(sha256.prefix(12)), created: created, title: title,
            description: options.description
                ?? "An imported \(model.kind.libraryName) model (\(modelFileName)), bundled by loanrisk bundle init from \(sampleLabel). Its inputs' "
                + "types and ranges, drift reference and cut-offs come from that sample, not from the model's training data. Replace this "
                + "paragraph with what the model predicts, for whom, from what data, and its limits.",
            target: target, idColumn: idColumn, features: features, derivedFeatures: [], modelFeatures: model.featureNames,
            policy: policy, scoreScaling: BundleDocument.Scaling(scaling), metrics: BundleDocument.Metrics(sample: metrics),
            reference: reference,
            provenance: BundleDocument.Provenance(
                modelSha256: sha256, modelFile: modelFileName, modelKind: model.kind.rawValue, library: model.kind.libraryName,
                sampleFile: sampleName, sampleSha256: SHA256.hexDigest(sampleData), sampleRows: sample.rowCount,
                writtenBy: "loanrisk bundle init"))
        do {
            bundleJSON = try document.encoded()
            manifest = try BundleManifest.decode(bundleJSON)
        } catch {
            throw BundleDraftError("bundle.json could not be written: \(error)")
        }
        goldenRowCount = min(options.goldenRows, sample.rowCount)
        golden = Self.goldenCSV(sample: sample, schema: schema, probabilities: probabilities, rows: goldenRowCount)
        decimalMark = sample.decimalMark
        delimiter = sample.delimiter
        notes = Self.notes(features: features, sample: sample, idColumn: idColumn, idGiven: options.idColumn != nil, measured: metrics != nil, model: model)
    }
}
