import Foundation
import Scoring
import Testing

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hexDigest(Array(twoBlocks.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct ScoreScalingTests {
    @Test func basePointsAtBaseOddsAndPDODoublesOdds() {
        let scale = ScoreScaling(basePoints: 600, baseOdds: 50, pdo: 20)
        #expect(scale.points(probability: 1.0 / 51.0) == 600)     // good:bad 50:1
        #expect(scale.points(probability: 1.0 / 101.0) == 620)    // 100:1
        #expect(scale.points(probability: 1.0 / 26.0) == 580)     // 25:1
        #expect(scale.points(probability: 0.9) < scale.points(probability: 0.1))
    }
}

@Suite struct FeaturePipelineTests {
    let raw = [
        FeatureSpec(name: "grade", kind: .categorical, categories: ["A", "B", "C"]),
        FeatureSpec(name: "amount", kind: .numeric),
        FeatureSpec(name: "income", kind: .numeric),
    ]
    let derived = [
        DerivedFeature(name: "grade_rank", operation: .map(source: "grade", mapping: ["A": 1, "B": 2])),
        DerivedFeature(name: "loan_to_income", operation: .ratio(numerator: "amount", denominator: "income")),
        DerivedFeature(name: "gap", operation: .difference(left: "income", right: "amount")),
        DerivedFeature(name: "scaled", operation: .product(left: "loan_to_income", right: "grade_rank")),
    ]

    func run(_ values: [Double]) throws -> [Double] {
        let pipeline = try FeaturePipeline(raw: raw, derived: derived, modelFeatures: ["amount", "grade_rank", "loan_to_income", "gap", "scaled"])
        var extended = values + [Double](repeating: -1, count: derived.count)
        extended.withUnsafeMutableBufferPointer { pipeline.derive($0.baseAddress!) }
        return [extended[1], extended[3], extended[4], extended[5], extended[6]]
    }

    @Test func operationsAreIEEEArithmetic() throws {
        let out = try run([1, 3000, 45000])
        #expect(out[0] == 3000)
        #expect(out[1] == 2)
        #expect(out[2] == 3000.0 / 45000.0)
        #expect(out[3] == 42000)
        #expect(out[4] == (3000.0 / 45000.0) * 2)
    }

    @Test func missingAndZeroDenominatorGiveMissing() throws {
        let zero = try run([2, 3000, 0])          // grade C has no mapping, income 0
        #expect(zero[1].isNaN)
        #expect(zero[2].isNaN)
        let missing = try run([.nan, .nan, 1000])
        #expect(missing[1].isNaN && missing[2].isNaN && missing[3].isNaN)
    }

    @Test func unknownNamesAreRefused() {
        #expect(throws: BundleLoadError.self) {
            try FeaturePipeline(raw: raw, derived: derived, modelFeatures: ["nope"])
        }
        #expect(throws: BundleLoadError.self) {
            try FeaturePipeline(raw: raw, derived: [DerivedFeature(name: "x", operation: .ratio(numerator: "amount", denominator: "later"))], modelFeatures: [])
        }
        #expect(throws: BundleLoadError.self) {
            try FeaturePipeline(raw: raw, derived: [DerivedFeature(name: "x", operation: .map(source: "amount", mapping: [:]))], modelFeatures: [])
        }
    }
}

/// A bundle written around a golden model, to test what loading checks.
@Suite struct ModelBundleTests {
    static let golden = Fixtures.goldenCase("categorical_pandas_many_levels")

    func makeBundle(edit: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let modelData = try Data(contentsOf: Self.golden.appendingPathComponent("model.txt"))
        try modelData.write(to: dir.appendingPathComponent("model.txt"))
        let model = try LightGBMModel(contentsOf: dir.appendingPathComponent("model.txt"))
        let schema = FeatureSchema(inferredFrom: model)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let features = try JSONSerialization.jsonObject(with: encoder.encode(schema.features))
        var manifest: [String: Any] = [
            "format_version": 1, "name": "test", "version": "1.0.0", "created": "2026-11-24T00:00:00Z",
            "title": "Test", "description": "A test bundle.",
            "target": ["column": "y", "positive_label": "bad", "definition": "test"],
            "id_column": NSNull(), "features": features, "derived_features": [], "model_features": model.featureNames,
            "policy": ["approve_below": 0.2, "decline_at_or_above": 0.6],
            "score_scaling": ["base_points": 600, "base_odds": 50, "pdo": 20],
            "provenance": ["model_sha256": SHA256.hexDigest(modelData)],
        ]
        edit(&manifest)
        try JSONSerialization.data(withJSONObject: manifest).write(to: dir.appendingPathComponent("bundle.json"))
        return dir
    }

    @Test func loadsAndScoresLikeTheBareModel() throws {
        let bundle = try ModelBundle(location: try makeBundle())
        #expect(bundle.name == "test")
        #expect(bundle.policy == DecisionPolicy(approveBelow: 0.2, declineAtOrAbove: 0.6))
        let bare = try ModelBundle(location: Self.golden.appendingPathComponent("model.txt"))
        #expect(bare.manifest == nil)
        #expect(bare.name == "categorical_pandas_many_levels")
        let (header, records) = try Fixtures.readRecords(Self.golden.appendingPathComponent("input.csv"))
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        let a = BatchScorer(bundle: bundle).score(records: records[...], mapping: mapping)
        let b = BatchScorer(bundle: bare).score(records: records[...], mapping: mapping)
        #expect(a.map(\.probability) == b.map(\.probability))
    }

    @Test func aDifferentModelFileIsRefused() throws {
        let dir = try makeBundle { $0["provenance"] = ["model_sha256": String(repeating: "0", count: 64)] }
        #expect {
            try ModelBundle(location: dir)
        } throws: { error in
            (error as? BundleLoadError)?.message.contains("sha256") == true
        }
    }

    @Test func featuresMustMatchTheModel() throws {
        let dir = try makeBundle { manifest in
            manifest["model_features"] = Array((manifest["model_features"] as? [String] ?? []).reversed())
        }
        #expect(throws: BundleLoadError.self) { try ModelBundle(location: dir) }
    }

    @Test func categoriesMustMatchPandasCategorical() throws {
        let dir = try makeBundle { manifest in
            var features = manifest["features"] as? [[String: Any]] ?? []
            if let i = features.firstIndex(where: { $0["kind"] as? String == "categorical" }) {
                features[i]["categories"] = ["only", "two"]
            }
            manifest["features"] = features
        }
        #expect {
            try ModelBundle(location: dir)
        } throws: { error in
            (error as? BundleLoadError)?.message.contains("differ from the model's own labels") == true
        }
    }

    @Test func aMissingKeyIsNamed() throws {
        let dir = try makeBundle { $0.removeValue(forKey: "policy") }
        #expect {
            try ModelBundle(location: dir)
        } throws: { error in
            (error as? BundleLoadError)?.message.contains("policy") == true
        }
    }
}
