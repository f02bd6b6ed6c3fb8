import Foundation
import Scoring
import Testing

/// What `SklearnModel` refuses, and that each refusal says what is wrong.
@Suite struct SklearnRefusalTests {
    /// A one-input document around `estimator` and `ops` (the rest well formed).
    static func document(estimator: String, ops: String = "[]", format: String = "loanrisk-sklearn", version: Int = 1) -> Data {
        Data("""
        {"format": "\(format)", "format_version": \(version), "steps": ["X"],
         "inputs": [{"name": "income"}], "columns": [{"input": 0, "ops": \(ops)}],
         "estimator": \(estimator)}
        """.utf8)
    }

    static let stump = #"{"type": "RandomForestClassifier", "trees": [{"left": [-1], "right": [-1], "feature": [-1], "threshold": [0.0], "missing_left": [false], "value": [0.5], "cover": [10.0]}]}"#

    static func refusal(_ data: Data) -> String? {
        do {
            _ = try SklearnModel(data: data)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func anUnsupportedEstimatorIsNamed() throws {
        let message = try #require(Self.refusal(Self.document(estimator: #"{"type": "SVC"}"#)))
        #expect(message.contains("SVC") && message.contains("not supported"))
    }

    @Test func anotherFormatOrVersionIsRefused() throws {
        let other = try #require(Self.refusal(Self.document(estimator: Self.stump, format: "loanrisk-scorecard")))
        #expect(other.contains("loanrisk-scorecard"))
        let newer = try #require(Self.refusal(Self.document(estimator: Self.stump, version: 2)))
        #expect(newer.contains("format_version 2"))
    }

    @Test func anUnknownPreprocessingStepIsNamed() throws {
        let message = try #require(Self.refusal(Self.document(estimator: Self.stump, ops: #"[{"op": "power"}]"#)))
        #expect(message.contains("\"power\"") && message.contains("income"))
    }

    @Test func aTreeReachingOutsideItselfIsRefused() throws {
        let broken = #"{"type": "DecisionTreeClassifier", "trees": [{"left": [5, -1, -1], "right": [2, -1, -1], "feature": [0, -1, -1], "threshold": [1.0, 0, 0], "missing_left": [true, false, false], "value": [0.5, 0.1, 0.9], "cover": [2, 1, 1]}]}"#
        let message = try #require(Self.refusal(Self.document(estimator: broken)))
        #expect(message.contains("outside the tree") && message.contains("tree 0"))
        let wrongColumn = #"{"type": "DecisionTreeClassifier", "trees": [{"left": [1, -1, -1], "right": [2, -1, -1], "feature": [3, -1, -1], "threshold": [1.0, 0, 0], "missing_left": [true, false, false], "value": [0.5, 0.1, 0.9], "cover": [2, 1, 1]}]}"#
        #expect(try #require(Self.refusal(Self.document(estimator: wrongColumn))).contains("column 3 of 1"))
    }

    @Test func aPickleOrOtherJSONIsNotADocument() throws {
        let pickle = Data([0x80, 0x04, 0x95])
        #expect(try #require(Self.refusal(pickle)).contains("not a LoanRisk scikit-learn document"))
    }

    @Test func aWellFormedStumpLoads() throws {
        let model = try SklearnModel(data: Self.document(estimator: Self.stump))
        var matrix = FeatureMatrix(featureCount: 1)
        matrix.appendRow([3])
        #expect(model.probabilities(matrix, threads: 1) == [0.5])
        #expect(model.kind == .sklearn)
    }
}
