import Foundation
import Scoring
import Testing

/// What an XGBoost model says about itself, and the models it refuses.
@Suite struct XGBoostModelTests {
    static func model(_ file: String) throws -> XGBoostModel {
        try XGBoostModel(contentsOf: XGBoostFixture.folder.appendingPathComponent(file))
    }

    static func refusal(_ file: String) throws -> String {
        do {
            _ = try model(file)
        } catch {
            return String(describing: error)
        }
        Issue.record("\(file) was loaded")
        return ""
    }

    @Test func gblinearIsRefused() throws {
        let message = try Self.refusal("gblinear.json")
        #expect(message.contains("gblinear"), "\(message)")
        #expect(message.contains("not supported"))
    }

    @Test func multiClassIsRefused() throws {
        let message = try Self.refusal("multiclass.json")
        #expect(message.contains("multi-class models (num_class 3) are not supported"), "\(message)")
    }

    @Test func otherObjectivesMultiOutputTreesAndNamelessFeaturesAreRefused() throws {
        let text = try String(contentsOf: XGBoostFixture.folder.appendingPathComponent("numeric_nan.json"), encoding: .utf8)
        func refusal(_ edited: String) -> String {
            do {
                _ = try XGBoostModel(data: Data(edited.utf8))
                return "loaded"
            } catch {
                return error.description
            }
        }
        #expect(refusal(text.replacingOccurrences(of: "\"binary:logistic\"", with: "\"reg:squarederror\""))
            .contains("objective 'reg:squarederror' is not supported"))
        #expect(refusal(text.replacingOccurrences(of: "\"size_leaf_vector\":\"1\"", with: "\"size_leaf_vector\":\"3\""))
            .contains("XGBoost multi-output trees (size_leaf_vector 3) are not supported"))
        let nameless = refusal(text.replacingOccurrences(
            of: "\"feature_names\":[\"Seniority\",\"Time\",\"Age\",\"Expenses\",\"Income\",\"Assets\",\"Debt\",\"Amount\",\"Price\"]",
            with: "\"feature_names\":[]"))
        #expect(nameless.contains("no feature names") && nameless.contains("booster.feature_names"), "\(nameless)")
    }

    @Test func earlyStoppedModelIsScoredAtItsBestIterationAndSaysSo() throws {
        let model = try Self.model("early_stopped.json")
        #expect(model.bestIteration == 9)
        #expect(model.scoredRounds == 10)
        #expect(model.rounds == 15)
        #expect(model.facts.contains(ModelFact("Rounds", "Scored at the best iteration, 10 of 15 rounds, as XGBClassifier.predict_proba does")))
    }

    @Test func categoricalFeaturesCarryTheTrainingCategoriesInXGBoostsOrder() throws {
        let model = try Self.model("categorical.ubj")
        #expect(model.kind == .xgboost)
        let term = try #require(model.featureNames.firstIndex(of: "term"))
        #expect(model.categoryLabels[term] == ["term_36", "term_60"])
        let features = model.inferredFeatures
        #expect(features[term].kind == .categorical)
        #expect(features[term].categories == ["term_36", "term_60"])
        let funded = try #require(model.featureNames.firstIndex(of: "funded_amnt"))
        #expect(features[funded].kind == .integer)
        let rate = try #require(model.featureNames.firstIndex(of: "int_rate"))
        #expect(features[rate].kind == .numeric)
    }

    @Test func dartAndEncodingAreOnTheModelCard() throws {
        let dart = try Self.model("dart.ubj")
        #expect(dart.isDART)
        #expect(dart.facts.contains(ModelFact("Booster", "DART (weighted trees)")))
        #expect(dart.facts.contains(ModelFact("Library", "XGBoost 3.2.0 (UBJSON model)")))
        #expect(XGBoostModel.isUBJSON(try Data(contentsOf: XGBoostFixture.folder.appendingPathComponent("dart.ubj"))))
        #expect(!XGBoostModel.isUBJSON(try Data(contentsOf: XGBoostFixture.folder.appendingPathComponent("dart.json"))))
    }
}
