import Foundation
import Scoring
import Testing

@Suite struct SchemaInferenceTests {
    @Test func pandasCategoriesBecomeLabels() throws {
        let model = try LightGBMModel(contentsOf: Fixtures.goldenCase("categorical_pandas_many_levels").appendingPathComponent("model.txt"))
        let schema = FeatureSchema(inferredFrom: model)
        #expect(schema.features.map(\.name) == model.featureNames)
        let categorical = schema.features.filter { $0.kind == .categorical }
        #expect(categorical.count == model.categoricalFeatures.count)
        let labels = try #require(model.pandasCategorical)
        #expect(categorical.map { $0.categories ?? [] } == labels.map { $0.map(\.description) })
        #expect(categorical.allSatisfy { $0.integerCodes != true })
    }

    @Test func integerCodedCategoricalsKeepTheirCodes() throws {
        let model = try LightGBMModel(contentsOf: Fixtures.goldenCase("categorical_integer_codes").appendingPathComponent("model.txt"))
        #expect(model.pandasCategorical == nil)
        let schema = FeatureSchema(inferredFrom: model)
        let coded = schema.features.filter { $0.integerCodes == true }
        #expect(coded.count == model.categoricalFeatures.count)
        #expect(coded.allSatisfy { ($0.categories ?? []).allSatisfy { Int($0).map { $0 >= 0 } ?? false } })
    }

    @Test func numericFeaturesGetTheirTrainingRange() throws {
        let model = try LightGBMModel(contentsOf: Fixtures.goldenCase("mixed_realistic").appendingPathComponent("model.txt"))
        let schema = FeatureSchema(inferredFrom: model)
        for (spec, info) in zip(schema.features, model.featureInfos) where info.hasPrefix("[") {
            let bounds = info.dropFirst().dropLast().split(separator: ":").compactMap { Double($0) }
            #expect(spec.kind == .numeric)
            #expect(spec.minimum == bounds.first)
            #expect(spec.maximum == bounds.last)
        }
    }
}
