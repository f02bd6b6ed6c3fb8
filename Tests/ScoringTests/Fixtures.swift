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

/// SplitMix64: a tiny seeded generator, so a failing random case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ModelBundle {
    /// The bundle's model as the LightGBM model the bundled models are (tests of LightGBM specifics).
    var lightGBM: LightGBMModel { model as! LightGBMModel }
}
