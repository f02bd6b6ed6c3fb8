import Foundation
import Scoring

/// Test data committed beside the tests (made by the scripts under `training/`).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let golden = root.appendingPathComponent("golden")

    static func goldenCase(_ name: String) -> URL { golden.appendingPathComponent(name) }

    /// Reads a whole CSV file into its header and rows of strings.
    static func readCSV(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(url: url)
        let header = try reader.readHeader()
        var record = CSVRecord()
        var rows: [[String]] = []
        while try reader.read(into: &record) { rows.append(record.fields) }
        return (header, rows)
    }

    /// Reads a CSV file into records, for the scorer.
    static func readRecords(_ url: URL) throws -> (header: [String], records: [CSVRecord]) {
        let reader = try CSVReader(url: url)
        let header = try reader.readHeader()
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        return (header, records)
    }
}
