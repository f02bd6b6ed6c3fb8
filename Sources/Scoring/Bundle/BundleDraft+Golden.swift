import Foundation

extension BundleDraft {
    /// golden.csv as `GoldenRows` reads it: the sample's header and its first `rows` rows as
    /// given, comma-separated, with numeric inputs written with a decimal point (so the file
    /// reads the same wherever it is checked), plus `probability`, the shortest text that
    /// reads back as the very double LoanRisk computed. A sample column already called
    /// `probability` is left out.
    static func goldenCSV(sample: BundleDraftSample, schema: FeatureSchema, probabilities: [Double], rows: Int) -> Data {
        let names = sample.header.map { $0.trimmingCharacters(in: .whitespaces) }
        let kept = names.indices.filter { names[$0] != "probability" }
        var numeric = Set<Int>()
        for feature in schema.features.indices where sample.readsNumbers(feature: feature, schema: schema) {
            numeric.insert(sample.mapping.featureColumns[feature])
        }
        var buffer: [UInt8] = []
        CSVEncoder.appendRecord(kept.map { sample.header[$0] } + ["probability"], to: &buffer)
        for row in 0..<rows {
            let record = sample.records[row]
            let fields = kept.map { column in numeric.contains(column) ? sample.pointed(record[column]) : record[column] }
            CSVEncoder.appendRecord(fields + ["\(probabilities[row])"], to: &buffer)
        }
        return Data(buffer)
    }
}
