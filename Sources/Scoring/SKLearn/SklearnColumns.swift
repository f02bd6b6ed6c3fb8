/// The preprocessing in front of a scikit-learn estimator, as per-column recipes: each column
/// the estimator reads is one raw input put through element-wise steps — SimpleImputer,
/// StandardScaler, OneHotEncoder, OrdinalEncoder, in the pipeline's order — computed with
/// scikit-learn's own float64 operations so the columns are the ones it would have built.
struct SklearnColumns: Sendable {
    enum Step: Sendable, Equatable {
        /// SimpleImputer: a missing value (not an unseen label) becomes `value`.
        case impute(Double)
        /// StandardScaler: `x -= mean` then `x /= scale`, each when fitted with it.
        case scale(mean: Double?, scale: Double?)
        /// OneHotEncoder: 1 when the value is this category, else 0 (unseen labels: all 0).
        case oneHot(Double)
        /// OneHotEncoder's column for NaN, a category when training had missing values.
        case oneHotMissing
        /// OrdinalEncoder: the category's position; unseen → `unknown`, missing → `missing`.
        case ordinal(values: [Double], unknown: Double, missing: Double)
        /// The same when the values are the codes 0, 1, … themselves (an encoder reading a
        /// categorical input): a code in range is its own position, found without a search.
        case ordinalCodes(count: Int, unknown: Double, missing: Double)
    }

    struct Column: Sendable {
        let input: Int
        let steps: [Step]
    }

    let columns: [Column]
    let inputCount: Int
    /// Whether the estimator reads the inputs as they are (no preprocessing at all).
    let isIdentity: Bool

    init(columns: [Column], inputCount: Int) {
        self.columns = columns
        self.inputCount = inputCount
        isIdentity = columns.count == inputCount
            && columns.enumerated().allSatisfy { index, column in column.input == index && column.steps.isEmpty }
    }

    var count: Int { columns.count }

    /// Writes the estimator's columns for one row of raw inputs into `output`.
    @inline(__always)
    func transform(row: UnsafePointer<Double>, into output: UnsafeMutablePointer<Double>) {
        for (index, column) in columns.enumerated() {
            var x = row[column.input]
            for step in column.steps { x = Self.apply(step, to: x) }
            output[index] = x
        }
    }

    static func apply(_ step: Step, to x: Double) -> Double {
        switch step {
        case .impute(let value):
            return x.isNaN && !FeatureValue.isUnseen(x) ? value : x
        case .scale(let mean, let scale):
            var y = x
            if let mean { y -= mean }
            if let scale { y /= scale }
            return y
        case .oneHot(let value):
            return x == value ? 1 : 0
        case .oneHotMissing:
            return x.isNaN && !FeatureValue.isUnseen(x) ? 1 : 0
        case .ordinal(let values, let unknown, let missing):
            if x.isNaN { return FeatureValue.isUnseen(x) ? unknown : missing }
            guard let position = values.firstIndex(of: x) else { return unknown }
            return Double(position)
        case .ordinalCodes(let count, let unknown, let missing):
            if x.isNaN { return FeatureValue.isUnseen(x) ? unknown : missing }
            return x >= 0 && x < Double(count) && x.rounded(.towardZero) == x ? Double(Int(x)) : unknown
        }
    }
}

extension SklearnColumns {
    /// Reads the document's recipes, refusing what it does not know.
    init(_ recipes: [SklearnDocument.ColumnRecipe], inputs: [SklearnDocument.Input]) throws(ModelLoadError) {
        var columns: [Column] = []
        for (index, recipe) in recipes.enumerated() {
            guard inputs.indices.contains(recipe.input) else {
                throw ModelLoadError("Column \(index) reads input \(recipe.input), but the model has \(inputs.count) inputs.")
            }
            let name = inputs[recipe.input].name
            var steps: [Step] = []
            for op in recipe.ops {
                switch op.op {
                case "impute":
                    if op.unseen == true {
                        steps.append(.impute(FeatureValue.unseenCategory))
                    } else if let value = op.value {
                        steps.append(.impute(value))
                    } else {
                        throw ModelLoadError("The imputer of \(name) has no fill value.")
                    }
                case "scale":
                    steps.append(.scale(mean: op.mean, scale: op.scale))
                case "onehot":
                    guard let value = op.value else { throw ModelLoadError("A one-hot column of \(name) names no category.") }
                    steps.append(.oneHot(value))
                case "onehot_missing":
                    steps.append(.oneHotMissing)
                case "ordinal":
                    guard let values = op.values else { throw ModelLoadError("The ordinal encoding of \(name) lists no categories.") }
                    let unknown = op.unknown ?? .nan, missing = op.missing ?? .nan
                    if values.enumerated().allSatisfy({ Double($0) == $1 }) {
                        steps.append(.ordinalCodes(count: values.count, unknown: unknown, missing: missing))
                    } else {
                        steps.append(.ordinal(values: values, unknown: unknown, missing: missing))
                    }
                default:
                    throw ModelLoadError("The preprocessing step \"\(op.op)\" on \(name) is not supported.")
                }
            }
            columns.append(Column(input: recipe.input, steps: steps))
        }
        self.init(columns: columns, inputCount: inputs.count)
    }
}
