/// The library a served model was trained with: what LoanRisk reads it as, and what its
/// model card names.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    case lightgbm
    case xgboost
    case sklearn
    case scorecard

    /// The library's name as a person writes it ("XGBoost", "scikit-learn").
    public var libraryName: String {
        switch self {
        case .lightgbm: "LightGBM"
        case .xgboost: "XGBoost"
        case .sklearn: "scikit-learn"
        case .scorecard: "points scorecard"
        }
    }
}

/// One line a model says about itself on its model card ("Trees: 1,000", "Scored at the
/// best iteration (412 of 500), as XGBClassifier.predict_proba does").
public struct ModelFact: Sendable, Equatable, Codable {
    public let label: String
    public let value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// A binary classifier LoanRisk serves, whatever library trained it.
///
/// Every model reads the same `FeatureMatrix`: one row per applicant, one column per model
/// feature (`featureNames`), numbers as doubles, a categorical feature as the position of
/// its label in `categoryLabels` (or the integer code itself), NaN when missing and
/// `FeatureValue.unseenCategory` (also a NaN) for a label the model never saw. A model
/// reproduces its own library's numbers to the last bit: it casts, compares and sums as the
/// library does.
///
/// Scores come in two steps so that explanations can be read in either unit: a raw score
/// per row (log-odds for boosted trees, logistic regression and scorecards; the probability
/// itself for a random forest), then `probability(rawScore:)`. Contributions are in raw-score
/// units and add up, with the expected value, to the raw score.
public protocol ScoringModel: Sendable {
    var kind: ModelKind { get }
    /// Feature names in the model's order (the order of `FeatureMatrix` columns).
    var featureNames: [String] { get }
    /// The model features read as categories, by model feature index, with their labels in
    /// code order where the model fixes them (a feature's code is its label's position).
    /// A bundle must declare these features categorical with exactly these labels.
    var categoryLabels: [Int: [String]] { get }
    /// Every model feature read as categories, ascending: those of `categoryLabels`, and
    /// any whose integer codes the model reads without labels (LightGBM without pandas).
    var categoricalFeatures: [Int] { get }
    /// The model's own description of its inputs, for a bare model served without a
    /// `bundle.json`: names, kinds, categories and ranges as far as the model records them.
    var inferredFeatures: [FeatureSpec] { get }
    /// The raw score of every row, rows split across `threads` workers.
    func rawScores(_ matrix: FeatureMatrix, threads: Int) -> [Double]
    /// The probability of default for a raw score, computed as the library computes it.
    func probability(rawScore: Double) -> Double
    /// Whether `contributions` can be computed (reasons need them).
    var canExplain: Bool { get }
    /// Per row, `featureCount + 1` values: each feature's contribution to the raw score, in
    /// model feature order, then the expected value (the raw score before any feature is
    /// known). Thrown when the model cannot be explained, with the reason.
    func contributions(_ matrix: FeatureMatrix, threads: Int) throws(ExplanationError) -> [Double]
    /// What the model card says about the model (objective, trees, iterations, how scored).
    var facts: [ModelFact] { get }
    /// The points scale the model itself is read on (a scorecard's points to double the
    /// odds and score at given odds), so that LoanRisk's score is the card's own; nil for
    /// models with no scale of their own, which get the bundle's or the standard one.
    var scoreScaling: ScoreScaling? { get }
}

extension ScoringModel {
    public var featureCount: Int { featureNames.count }

    public var scoreScaling: ScoreScaling? { nil }

    public var categoricalFeatures: [Int] { categoryLabels.keys.sorted() }

    /// The probability of default of every row.
    public func probabilities(_ matrix: FeatureMatrix, threads: Int) -> [Double] {
        rawScores(matrix, threads: threads).map { probability(rawScore: $0) }
    }
}

/// Values a feature matrix cell may hold besides numbers.
public enum FeatureValue {
    /// A category label the model never saw: a quiet NaN with payload 1, so that everything
    /// reading NaN as "missing" (LightGBM, drift, reasons) keeps doing so, while models that
    /// treat an unseen label apart from a missing one (scikit-learn's one-hot encoder with
    /// `handle_unknown="ignore"`, a scorecard's "unseen" points) can tell: `isUnseen`.
    public static let unseenCategory = Double(nan: 1, signaling: false)

    /// Whether `value` is `unseenCategory` (compared by bits: NaN equals nothing).
    @inline(__always)
    public static func isUnseen(_ value: Double) -> Bool {
        value.bitPattern == unseenCategory.bitPattern
    }
}
