import Foundation
import Scoring

/// A stored batch: what was uploaded, with which model, and the counts the summary shows.
public struct BatchSummary: Sendable, Equatable {
    public var id: String
    public var modelName: String
    public var modelVersion: String
    public var fileName: String
    public var createdAt: Date
    public var rowCount: Int
    public var validCount: Int
    public var warningCount: Int
    public var approveCount: Int
    public var reviewCount: Int
    public var declineCount: Int
    public var meanProbability: Double?
    /// Counts of valid rows in 20 equal-width probability bins.
    public var histogram: [Int]
    public var header: [String]
    public var idColumn: String?
    /// The file against the model's training distribution (nil: no reference, or stored
    /// before drift was measured).
    public var drift: DriftReport? = nil
    /// How the file wrote its decimals, as decided when it was read.
    public var decimalMark = DecimalMark.point
    /// The team that owns the batch (its uploader's): nobody outside it can see it exists.
    public var teamID = "default"

    public var invalidCount: Int { rowCount - validCount }

    public static let histogramBins = 20
}

/// One stored result row.
public struct StoredRow: Sendable, Equatable {
    public var rowNumber: Int
    public var applicantID: String?
    public var probability: Double?
    public var decision: String?
    public var score: Int?
    public var state: String
    public var status: String
    /// The cells of the columns a `RowQuery` asked to show, in its order ("" where absent).
    public var shown: [String] = []
}
