/// What a set of rows' tallies say against the reference: per input and for the score, the
/// PSI (`PopulationStability`: proportions floored at 0.0001, Evidently's convention) over
/// the reference's bins plus missing (and unseen), its band, the expected and actual
/// proportions, and the shares missing, out of the training range and unseen. Each band is
/// judged against what sampling noise gives for the rows measured (`DriftNoise`), so a
/// 20-row file is not "major" for having left bins empty.
public struct DriftReport: Sendable, Equatable, Codable {
    public struct Input: Sendable, Equatable, Codable {
        public var name: String
        public var psi: Double
        public var band: DriftBand
        /// Bin labels, in bin order ("[10.5, 12.0)", "term_36", "missing", "unseen").
        public var bins: [String]
        public var expected: [Double]
        public var actual: [Double]
        public var missingShare: Double
        public var belowRangeShare: Double
        public var aboveRangeShare: Double
        public var unseenShare: Double
        /// Where this input's PSI turned moderate and major for this many rows: the bundle's
        /// bands, or higher on a small file (`DriftNoise`). nil in reports stored before.
        public var bands: DriftBands?

        enum CodingKeys: String, CodingKey {
            case name, psi, band, bins, expected, actual, bands
            case missingShare = "missing_share", belowRangeShare = "below_range_share", aboveRangeShare = "above_range_share"
            case unseenShare = "unseen_share"
        }
    }

    public var rows: Int
    /// Inputs with a reference, largest PSI first.
    public var inputs: [Input]
    public var score: Input?
    /// Inputs the bundle has no reference for.
    public var withoutReference: [String]
    /// How many approvals were held for review because of this drift (`DriftHold`); nil when
    /// none were held (the drift is not major, or the bundle lets approvals stand).
    public var heldApprovals: Int?
    /// Whether the bundle holds approvals on major drift; nil in reports stored before.
    public var holdsApprovals: Bool?

    /// Each measure's bands as judged for its rows, by name (the score's as "score"); the
    /// traffic monitor's alarm reads them.
    public var judgedBands: [String: DriftBands] {
        var bands: [String: DriftBands] = [:]
        for input in inputs { if let judged = input.bands { bands[input.name] = judged } }
        if let judged = score?.bands { bands["score"] = judged }
        return bands
    }

    /// The worst band of any input or the score.
    public var band: DriftBand { (inputs.map(\.band) + (score.map { [$0.band] } ?? [])).max() ?? .stable }

    public init(profile: DriftProfile, tallies: DriftTallies, schema: FeatureSchema) {
        var inputs: [Input] = []
        var without: [String] = []
        for (index, bins) in profile.inputs.enumerated() {
            guard let bins else {
                without.append(schema.features[index].name)
                continue
            }
            inputs.append(Self.input(bins, tallies.inputs[index], bands: profile.bands))
        }
        self.inputs = inputs.sorted { $0.psi > $1.psi || ($0.psi == $1.psi && $0.name < $1.name) }
        score = profile.score.map { Self.input($0, tallies.score, bands: profile.bands, hasMissing: false) }
        withoutReference = without
        holdsApprovals = profile.holdsApprovals
        rows = tallies.inputs.first { $0.total > 0 }?.total ?? tallies.score.total
    }

    private static func input(_ bins: DriftBins, _ tally: DriftTally, bands: DriftBands, hasMissing: Bool = true) -> Input {
        let total = max(1, tally.total)
        var expected = bins.expected
        var actual = tally.counts.map { Double($0) / Double(total) }
        if !hasMissing {
            expected.removeLast()
            actual.removeLast()
        }
        let psi = tally.total == 0 ? 0 : PopulationStability.index(expected: expected, actual: actual)
        let judged = DriftNoise.bands(expected: expected, rows: tally.total, floor: bands)
        var labels: [String]
        switch bins.layout {
        case .numeric(let edges):
            labels = (0..<(edges.count - 1)).map { i in
                "[\(short(edges[i])), \(short(edges[i + 1]))\(i == edges.count - 2 ? "]" : ")")"
            }
        case .categorical(let names):
            labels = names
        }
        if hasMissing { labels.append("missing") }
        if bins.unseenBin != nil { labels.append("unseen") }
        return Input(
            name: bins.name, psi: psi, band: judged.band(psi), bins: labels, expected: expected, actual: actual,
            missingShare: hasMissing ? actual[bins.missingBin] : 0,
            belowRangeShare: Double(tally.below) / Double(total), aboveRangeShare: Double(tally.above) / Double(total),
            unseenShare: bins.unseenBin.map { actual[$0] } ?? 0, bands: judged)
    }

    private static func short(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
