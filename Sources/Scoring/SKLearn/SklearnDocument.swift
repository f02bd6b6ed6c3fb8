/// The LoanRisk JSON document `training/export_sklearn.py` writes for a fitted scikit-learn
/// classifier or pipeline (`"format": "loanrisk-sklearn"`, version 1).
///
/// Every number is the float64 scikit-learn stored, written by Python's `repr` (the shortest
/// text that reads back to the same double), so decoding it loses nothing. NaN, which JSON
/// cannot write, is `null` where it may occur.
struct SklearnDocument: Decodable {
    static let format = "loanrisk-sklearn"
    static let formatVersion = 1

    let format: String
    let formatVersion: Int
    let sklearnVersion: String?
    /// `classes_[1]`, the class whose probability is served.
    let positiveClass: String?
    /// The pipeline's steps by class name, the estimator last (for the model card).
    let steps: [String]
    let inputs: [Input]
    /// One recipe per column the estimator reads, in its order.
    let columns: [ColumnRecipe]
    let estimator: Estimator

    /// A raw input (`feature_names_in_`); a categorical one lists its encoder's categories.
    struct Input: Decodable {
        let name: String
        let categories: [String]?
    }

    /// A column the estimator reads: raw input `input` through `ops`, in order.
    struct ColumnRecipe: Decodable {
        let input: Int
        let ops: [Op]
    }

    /// One element-wise step. `op` names it: `impute` (value, or `unseen`), `scale` (mean
    /// and/or scale), `onehot` (value), `onehot_missing`, `ordinal` (values, unknown, missing;
    /// null = NaN).
    struct Op: Decodable {
        let op: String
        let value: Double?
        let unseen: Bool?
        let mean: Double?
        let scale: Double?
        let values: [Double]?
        let unknown: Double?
        let missing: Double?
    }

    struct Estimator: Decodable {
        let type: String
        let trees: [TreeRecord]?
        /// GradientBoosting / HistGradientBoosting: the raw score before the first tree.
        let baseline: Double?
        /// GradientBoosting: each tree's value is multiplied by it.
        let learningRate: Double?
        /// A forest or tree read from a sparse ColumnTransformer output (NaN goes right).
        let sparseInput: Bool?
        /// HistGradientBoosting: per categorical feature, the bitset of its known categories.
        let knownCategories: [[UInt32]]?
        /// LogisticRegression.
        let coef: [Double]?
        let intercept: Double?
        let means: [Double?]?
    }

    /// A tree as parallel node arrays (scikit-learn's numbering; −1 children at a leaf).
    struct TreeRecord: Decodable {
        let left: [Int]
        let right: [Int]
        let feature: [Int]
        /// null is +infinity: a split on missingness alone (every number goes left).
        let threshold: [Double?]
        let missingLeft: [Bool]
        let value: [Double]
        let cover: [Double]
        /// HistGradientBoosting: a categorical split's bitset of categories going left.
        let categories: [[UInt32]?]?
        /// HistGradientBoosting: a categorical split's row in `knownCategories`.
        let known: [Int?]?
    }
}
