import Foundation
import Scoring

/// A CSV file read whole and encoded for a model: what the benchmarks time from.
enum BenchInput {
    /// The file's rows as the model's feature matrix, and how many there are.
    static func matrix(_ path: String, scorer: BatchScorer) throws -> (FeatureMatrix, Int) {
        let reader = try CSVReader(url: URL(fileURLWithPath: path))
        let mapping = try ColumnMapping(header: try reader.readHeader(), schema: scorer.schema)
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        let (matrix, _) = scorer.encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        return (matrix, records.count)
    }
}
