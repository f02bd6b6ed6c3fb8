import Foundation
import Scoring
import Testing

/// One golden XGBoost case (training/golden/make_xgboost_golden.py): the model in both
/// encodings, its input rows and what xgboost 3.2.0 returned for them.
struct XGBoostFixture {
    static let folder = Fixtures.root.appendingPathComponent("xgboost")
    static let cases = ["numeric_nan", "categorical", "dart", "logitraw", "early_stopped"]

    let json: XGBoostModel
    let ubjson: XGBoostModel
    let matrix: FeatureMatrix
    /// float32 bit patterns of `predict(output_margin=True)` and of the probability.
    let margins: [UInt32]
    let probabilities: [UInt32]
    /// `pred_contribs`, `featureCount + 1` a row.
    let contributions: [[Double]]

    init(_ name: String) throws {
        json = try XGBoostModel(contentsOf: Self.folder.appendingPathComponent("\(name).json"))
        ubjson = try XGBoostModel(contentsOf: Self.folder.appendingPathComponent("\(name).ubj"))
        let input = try Fixtures.readCSV(Self.folder.appendingPathComponent("\(name).input.csv"))
        #expect(input.header == json.featureNames)
        var matrix = FeatureMatrix(featureCount: input.header.count)
        for fields in input.rows {
            matrix.appendRow(try fields.map { field in
                switch field {
                case "": Double.nan
                case "unseen": FeatureValue.unseenCategory
                default: try #require(Double(field), "not a number: \(field)")
                }
            })
        }
        self.matrix = matrix
        let expected = try Fixtures.readCSV(Self.folder.appendingPathComponent("\(name).expected.csv"))
        #expect(expected.rows.count == input.rows.count)
        margins = try expected.rows.map { try #require(UInt32($0[1], radix: 16)) }
        probabilities = try expected.rows.map { try #require(UInt32($0[2], radix: 16)) }
        contributions = try expected.rows.map { row in try row.dropFirst(3).map { try #require(Double($0)) } }
    }
}
