import Foundation

/// A bundle's golden rows (`golden.csv`): raw applicant rows as a user uploads them, each with
/// the `probability` LightGBM itself gave. A version is promoted only if it reproduces
/// every one of them, which proves the model file, its schema and the derived features
/// agree with the training pipeline that wrote them.
public enum GoldenRows {
    /// What checking the rows found.
    public struct Report: Sendable, Equatable, Codable {
        public var rows: Int
        public var mismatches: [Mismatch]

        public var passed: Bool { mismatches.isEmpty && rows > 0 }

        /// The report with at most `limit` mismatches listed (`differing` keeps the count),
        /// for answers a person reads.
        public func abridged(to limit: Int = 10) -> Report {
            var copy = self
            copy.mismatches = Array(mismatches.prefix(limit))
            copy.differing = mismatches.count
            return copy
        }

        /// How many rows differ, when `mismatches` is abridged.
        public var differing: Int?
    }

    /// A row whose probability differs (or that was not scored at all).
    public struct Mismatch: Sendable, Equatable, Codable {
        /// 1-based, as in the file after its header.
        public var row: Int
        public var expected: Double
        public var got: Double?
        /// The row's status when it could not be scored.
        public var status: String?
    }

    /// The probabilities must agree to this: the evaluator is bit-exact with LightGBM, so
    /// anything larger means another model or another feature pipeline.
    public static let tolerance = 1e-12

    /// Scores `csv` with `bundle` and compares each row with its `probability` column.
    /// A file that cannot be read, or has no `probability` column, is an error naming why.
    public static func check(_ bundle: ModelBundle, csv: Data) throws(InputFileError) -> Report {
        let reader = CSVReader(data: csv)
        var records: [CSVRecord] = []
        let header: [String]
        do {
            header = try reader.readHeader()
            var record = CSVRecord()
            while try reader.read(into: &record) { records.append(record) }
        } catch {
            throw InputFileError("golden.csv could not be read: \(error)")
        }
        guard let column = header.firstIndex(of: "probability") else {
            throw InputFileError("golden.csv has no 'probability' column: it must hold LightGBM's probability for every row.")
        }
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        let outcomes = BatchScorer(bundle: bundle).modelOnly().score(records: records[...], mapping: mapping)
        var report = Report(rows: records.count, mismatches: [])
        for (index, (record, outcome)) in zip(records, outcomes).enumerated() {
            guard let expected = Double(record[column]) else {
                throw InputFileError("golden.csv row \(index + 1): probability '\(record[column])' is not a number.")
            }
            guard let got = outcome.probability, abs(got - expected) <= tolerance else {
                report.mismatches.append(Mismatch(row: index + 1, expected: expected, got: outcome.probability,
                                                  status: outcome.probability == nil ? outcome.status : nil))
                continue
            }
        }
        return report
    }
}
