import Foundation
import Scoring

/// A scikit-learn golden case (training/golden/make_sklearn_golden.py): the exported model,
/// the rows it was asked about and what scikit-learn and shap answered.
struct SklearnGolden {
    /// A raw input cell: a number, a category label, or missing.
    enum Cell: Decodable {
        case number(Double)
        case label(String)
        case missing

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .missing
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .label(try container.decode(String.self))
            }
        }
    }

    struct Rows: Decodable {
        let inputs: [String]
        let rows: [[Cell]]
        let probability: [Double]
        let raw: [Double]
        let contributions: [[Double]]?
        let contributionsReference: String?
    }

    static let root = Fixtures.root.appendingPathComponent("sklearn")
    static let cases = [
        "decision_tree", "random_forest", "random_forest_pipeline", "extra_trees_pipeline",
        "gradient_boosting_pipeline", "hist_gradient_boosting", "hist_gradient_boosting_categorical",
        "logistic_regression_pipeline",
    ]

    let name: String
    let model: SklearnModel
    let expected: Rows
    let matrix: FeatureMatrix

    init(_ name: String) throws {
        self.name = name
        let folder = Self.root.appendingPathComponent(name)
        let model = try SklearnModel(data: Data(contentsOf: folder.appendingPathComponent("model.json")))
        self.model = model
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        expected = try decoder.decode(Rows.self, from: Data(contentsOf: folder.appendingPathComponent("rows.json")))
        var matrix = FeatureMatrix(featureCount: model.featureCount)
        for row in expected.rows {
            let values = row.enumerated().map { index, cell -> Double in
                switch cell {
                case .missing: return .nan
                case .number(let x): return x
                case .label(let label):
                    // As the encoder does: a label's code is its position; an unlisted label is unseen.
                    guard let code = model.categoryLabels[index]?.firstIndex(of: label) else { return FeatureValue.unseenCategory }
                    return Double(code)
                }
            }
            matrix.appendRow(values)
        }
        self.matrix = matrix
    }
}
