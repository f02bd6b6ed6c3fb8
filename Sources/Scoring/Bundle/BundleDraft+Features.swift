import Foundation

extension BundleDraft {
    /// How the sample is read before anything is known of it: each model feature as the model
    /// describes it (its labels where it has them, integer codes where it reads codes),
    /// every other one as a number without a range.
    static func readingSchema(for model: any ScoringModel) -> FeatureSchema {
        let inferred = inferredSpecs(of: model)
        let labels = model.categoryLabels
        return FeatureSchema(features: model.featureNames.enumerated().map { index, name in
            if let categories = labels[index] {
                var spec = inferred[index]
                spec.kind = .categorical
                spec.categories = categories
                spec.integerCodes = nil
                spec.minimum = nil
                spec.maximum = nil
                return spec
            }
            if inferred[index].kind == .categorical { return inferred[index] }
            return FeatureSpec(name: name, kind: .numeric)
        })
    }

    /// The model's own description of each feature, by model feature index (by name, or a
    /// bare numeric feature when the model says nothing of it).
    static func inferredSpecs(of model: any ScoringModel) -> [FeatureSpec] {
        let byName = Dictionary(model.inferredFeatures.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return model.featureNames.map { byName[$0] ?? FeatureSpec(name: $0, kind: .numeric) }
    }

    /// The bundle's features: the reading schema's, with numbers typed by the sample (whole
    /// numbers throughout, written without a decimal mark or exponent: `integer`; a column
    /// that writes `160.0` is a decimal one that happens to hold whole values, and so is one
    /// whose range in the model's training data has fractions), ranges spanning both the
    /// sample's values and the range the model records for itself (LightGBM's
    /// `feature_infos`), and the template's example: the first sample row with every input
    /// present and known.
    static func features(model: any ScoringModel, schema: FeatureSchema, sample: BundleDraftSample) -> [FeatureSpec] {
        let inferred = inferredSpecs(of: model)
        let exampleRow = sample.values.isEmpty ? nil : (0..<sample.rowCount).first { row in
            sample.values.allSatisfy { !$0[row].isNaN }
        }
        return schema.features.enumerated().map { feature, reading in
            var spec = reading
            let values = sample.values[feature]
            if spec.kind != .categorical {
                let present = values.filter { !$0.isNaN }
                let whole = !present.isEmpty && present.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
                    && !sample.writesFractions(feature: feature)
                    && [inferred[feature].minimum, inferred[feature].maximum].allSatisfy { $0.map { $0 == $0.rounded() } ?? true }
                spec.kind = whole ? .integer : .numeric
                let low = ([inferred[feature].minimum].compactMap { $0 } + present).min()
                let high = ([inferred[feature].maximum].compactMap { $0 } + present).max()
                spec.minimum = low
                spec.maximum = high
            }
            if let exampleRow {
                let cell = sample.records[exampleRow][sample.mapping.featureColumns[feature]].trimmingCharacters(in: .whitespaces)
                spec.example = sample.readsNumbers(feature: feature, schema: schema) ? sample.pointed(cell) : cell
            }
            return spec
        }
    }
}

extension BundleDraftSample {
    /// Whether a feature's cells are numbers (so their decimal mark is the file's).
    func readsNumbers(feature: Int, schema: FeatureSchema) -> Bool {
        let spec = schema.features[feature]
        return spec.kind != .categorical || spec.integerCodes == true
    }

    /// Whether any present cell of a feature writes a decimal mark or an exponent.
    func writesFractions(feature: Int) -> Bool {
        let column = mapping.featureColumns[feature]
        let mark = decimalMark.byte
        return records.contains { record in
            record.withFieldBytes(column) { raw in
                let bytes = ASCII.trimmed(raw)
                return !MissingValue.isMissing(bytes) && bytes.contains { $0 == mark || $0 | 0x20 == UInt8(ascii: "e") }
            }
        }
    }

    /// A number's text with a decimal point, whatever mark the sample writes: what golden.csv
    /// and the template hold, so they read alike everywhere.
    func pointed(_ cell: String) -> String {
        decimalMark == .comma ? cell.replacingOccurrences(of: ",", with: ".") : cell
    }
}
