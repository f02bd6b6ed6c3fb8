import Foundation
import Scoring

/// What a scored row keeps so that its reasons can be computed later, on demand: the model's
/// feature vector (model order, NaN where missing) and the row's warnings, which the phrasing
/// needs (an unseen category reads differently from a missing value). Reasons are not stored:
/// most are never looked at, and computing them at upload time would slow every upload.
public struct RowFeatures: Sendable, Equatable {
    public var rowNumber: Int
    /// One value per model feature, exactly as the model saw them.
    public var values: [Double]
    /// The row's field issues (warnings only: rows with errors have no reasons).
    public var issues: [FieldIssue]

    public init(rowNumber: Int, values: [Double], issues: [FieldIssue]) {
        self.rowNumber = rowNumber
        self.values = values
        self.issues = issues
    }

    /// How many consecutive rows share one stored block. One database row per file row
    /// doubled the cost of storing a batch; a block of 64 costs about the bytes alone, and a
    /// results page (50 rows) still reads at most a few megabytes.
    package static let rowsPerBlock = 64

    /// The features of up to `rowsPerBlock` consecutive rows, as stored: their values
    /// back to back (little-endian IEEE 754 doubles, bit-exact, NaN included; eight bytes a
    /// value where text would be slower and larger), and the warnings of the rows that have
    /// any (stored as JSON keyed by row number). The values are packed on the scoring workers,
    /// so that the upload's single writer only copies bytes.
    public struct Block: Sendable {
        package var firstRow: Int
        package var rowCount: Int
        package var blob: Data
        package var warnings: [(row: Int, issues: [FieldIssue])]

        /// Rows `rows` of `matrix`, which are file rows `firstRow`, `firstRow + 1`, …;
        /// `issues` are the warnings of rows that were scored (others are not kept).
        package init(firstRow: Int, matrix: FeatureMatrix, rows: Range<Int>, issues: (Int) -> [FieldIssue]) {
            self.firstRow = firstRow
            rowCount = rows.count
            let width = matrix.featureCount
            var data = Data(count: rows.count * width * 8)
            data.withUnsafeMutableBytes { raw in
                for (index, row) in rows.enumerated() {
                    for (feature, value) in matrix.row(row).enumerated() {
                        raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: (index * width + feature) * 8, as: UInt64.self)
                    }
                }
            }
            blob = data
            warnings = rows.enumerated().map { (index, row) in (row: firstRow + index, issues: issues(row)) }.filter { !$0.issues.isEmpty }
        }

        /// The rows' warnings as stored: worded into JSON by the background write, not while the
        /// upload waits (on a file whose units changed, every row has several).
        package var issuesJSON: String? {
            warnings.isEmpty ? nil : FieldIssue.json(byRow: warnings)
        }
    }

    /// The rows of a stored block, by row number; nil when the blob is not `rowCount` whole
    /// rows of doubles (a storage bug: those rows then have no reasons).
    package static func rows(firstRow: Int, rowCount: Int, blob: Data, issuesJSON: String?) -> [Int: RowFeatures]? {
        guard rowCount > 0, blob.count % (rowCount * 8) == 0 else { return nil }
        let width = blob.count / 8 / rowCount
        let warnings = issuesJSON.flatMap { try? JSONDecoder().decode([String: [FieldIssue]].self, from: Data($0.utf8)) } ?? [:]
        return blob.withUnsafeBytes { raw in
            var result: [Int: RowFeatures] = [:]
            for index in 0..<rowCount {
                let values = (0..<width).map { feature in
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: (index * width + feature) * 8, as: UInt64.self)))
                }
                let number = firstRow + index
                result[number] = RowFeatures(rowNumber: number, values: values, issues: warnings[String(number)] ?? [])
            }
            return result
        }
    }
}
