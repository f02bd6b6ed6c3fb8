import Foundation
import Scoring
import Testing

/// The other layouts of the same document that other xgboost versions write, made from the
/// golden models by moving their parts (xgboost 3.2.0 writes only its own layout): each must
/// score exactly as the original.
@Suite struct XGBoostLayoutTests {
    static func document(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: XGBoostFixture.folder.appendingPathComponent("\(name).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func model(_ document: [String: Any]) throws -> XGBoostModel {
        try XGBoostModel(data: try JSONSerialization.data(withJSONObject: document))
    }

    static func sameScores(_ a: XGBoostModel, _ b: XGBoostModel, _ fixture: XGBoostFixture) -> Bool {
        a.rawScores(fixture.matrix, threads: 1).map(\.bitPattern) == b.rawScores(fixture.matrix, threads: 1).map(\.bitPattern)
    }

    @Test func dartWeightsBesideTheTreesAsFrom34() throws {
        // Before 3.4: {name: "dart", gbtree: {name: "gbtree", model: {...}}, weight_drop}; from 3.4
        // DART is a gbtree whose model carries weight_drop.
        var document = try Self.document("dart")
        var learner = try #require(document["learner"] as? [String: Any])
        let booster = try #require(learner["gradient_booster"] as? [String: Any])
        var gbtree = try #require(booster["gbtree"] as? [String: Any])
        var model = try #require(gbtree["model"] as? [String: Any])
        model["weight_drop"] = booster["weight_drop"]
        gbtree["model"] = model
        learner["gradient_booster"] = gbtree
        document["learner"] = learner
        let fixture = try XGBoostFixture("dart")
        let moved = try Self.model(document)
        #expect(moved.isDART)
        #expect(Self.sameScores(moved, fixture.json, fixture))
        let scores = moved.rawScores(fixture.matrix, threads: 1)
        #expect(scores.map { Float($0).bitPattern } == fixture.margins)
    }

    @Test func baseScoreAsAPlainNumberAsBefore31() throws {
        var document = try Self.document("numeric_nan")
        var learner = try #require(document["learner"] as? [String: Any])
        var parameters = try #require(learner["learner_model_param"] as? [String: Any])
        let stored = try #require(parameters["base_score"] as? String)
        #expect(stored.hasPrefix("["))
        parameters["base_score"] = String(stored.dropFirst().dropLast())
        learner["learner_model_param"] = parameters
        document["learner"] = learner
        let fixture = try XGBoostFixture("numeric_nan")
        #expect(Self.sameScores(try Self.model(document), fixture.json, fixture))
    }

    @Test func categoricalModelWithoutCatsTakesIntegerCodes() throws {
        // Before 3.1 the training categories were not saved: the inputs are XGBoost's codes.
        var document = try Self.document("categorical")
        var learner = try #require(document["learner"] as? [String: Any])
        var booster = try #require(learner["gradient_booster"] as? [String: Any])
        var model = try #require(booster["model"] as? [String: Any])
        model["cats"] = nil
        booster["model"] = model
        learner["gradient_booster"] = booster
        document["learner"] = learner
        let fixture = try XGBoostFixture("categorical")
        let coded = try Self.model(document)
        #expect(coded.categoryLabels.isEmpty)
        #expect(Self.sameScores(coded, fixture.json, fixture))
        let term = try #require(coded.featureNames.firstIndex(of: "term"))
        #expect(coded.inferredFeatures[term].kind == .categorical)
        #expect(coded.inferredFeatures[term].integerCodes == true)
    }
}
