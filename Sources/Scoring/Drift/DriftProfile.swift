/// A model's drift reference: the PSI bins of every raw input that has one, and of the
/// score, from bundle.json's `reference`; what uploads and windows tally against.
public struct DriftProfile: Sendable {
    /// By the schema's feature index; nil where the bundle has no usable reference.
    public let inputs: [DriftBins?]
    public let score: DriftBins?
    public let bands: DriftBands
    /// Whether an upload in major drift has its approvals held for review (`DriftHold`):
    /// the policy's `hold_on_drift`, on unless the bundle turns it off.
    public let holdsApprovals: Bool

    /// nil for a model without a reference (a bare model.txt): nothing to compare with.
    public init?(schema: FeatureSchema, manifest: BundleManifest?) {
        guard let manifest, let reference = manifest.reference else { return nil }
        self.init(schema: schema, reference: reference, bands: manifest.driftBands ?? .standard,
                  holdsApprovals: manifest.policy.holdOnDrift ?? true)
    }

    /// A profile from a reference (bundle.json's, or one made elsewhere: benchmarks, a past
    /// window); nil when neither an input nor the score has usable bins.
    public init?(schema: FeatureSchema, reference: BundleManifest.Reference, bands: DriftBands = .standard, holdsApprovals: Bool = true) {
        self.holdsApprovals = holdsApprovals
        inputs = schema.features.map { DriftBins(spec: $0, reference: reference.features?[$0.name]) }
        // The score falls as the probability rises, so the probability's bins give the score's
        // PSI exactly, without the rounding of whole score points.
        score = DriftBins(name: "score", reference: reference.probability)
        self.bands = bands
        guard inputs.contains(where: { $0 != nil }) || score != nil else { return nil }
    }

    /// Tallies rows of raw values already read (row `r`, input `f` at `values[r, f]`), on
    /// `threads` workers: what a report over data in memory costs.
    public func tally(_ values: FeatureMatrix, threads: Int) -> DriftTallies {
        let parts = ParallelRows.map(rowCount: values.rowCount, threads: threads) { range in
            var tallies = emptyTallies()
            // Input by input, so each input's bins are looked up once, not once a cell.
            for (feature, bins) in inputs.enumerated() {
                guard let bins else { continue }
                var tally = tallies.inputs[feature]
                switch bins.layout {
                case .numeric(let edges):
                    edges.withUnsafeBufferPointer { edges in
                        for row in range {
                            let value = values[row, feature]
                            if value.isNaN {
                                tally.counts[bins.missingBin] += 1
                                continue
                            }
                            let (bin, outside) = DriftBins.numericBin(value, edges: edges)
                            tally.counts[bin] += 1
                            if outside < 0 { tally.below += 1 } else if outside > 0 { tally.above += 1 }
                        }
                    }
                case .categorical:
                    for row in range { Self.tallyCategory(values[row, feature], issue: nil, bins: bins, into: &tally) }
                }
                tallies.inputs[feature] = tally
            }
            return tallies
        }
        var total = emptyTallies()
        for part in parts { total += part }
        return total
    }

    /// Empty tallies, one per input (empty for inputs without bins) and the score's.
    public func emptyTallies() -> DriftTallies {
        DriftTallies(inputs: inputs.map { DriftTally(binCount: $0?.binCount ?? 0) }, score: DriftTally(binCount: score?.binCount ?? 0))
    }

    /// Counts one cell as the encoder read it: `value` (NaN when missing or unreadable) and
    /// its issue. A categorical value the encoder did not know (NaN with a warning) is unseen;
    /// an unreadable one (an error) counts as missing, the value the model would not get.
    @inline(__always)
    public func tally(feature: Int, value: Double, issue: FieldIssue?, into tallies: inout DriftTallies) {
        guard let bins = inputs[feature] else { return }
        switch bins.layout {
        case .numeric(let edges):
            guard !value.isNaN else {
                tallies.inputs[feature].counts[bins.missingBin] += 1
                return
            }
            let (bin, outside) = edges.withUnsafeBufferPointer { DriftBins.numericBin(value, edges: $0) }
            tallies.inputs[feature].counts[bin] += 1
            if outside < 0 { tallies.inputs[feature].below += 1 } else if outside > 0 { tallies.inputs[feature].above += 1 }
        case .categorical:
            Self.tallyCategory(value, issue: issue, bins: bins, into: &tallies.inputs[feature])
        }
    }

    @inline(__always)
    static func tallyCategory(_ value: Double, issue: FieldIssue?, bins: DriftBins, into tally: inout DriftTally) {
        tally.counts[categoryBin(value, issue: issue, bins: bins)] += 1
    }

    /// A categorical cell's bin: its category's, missing, or unseen.
    @inline(__always)
    static func categoryBin(_ value: Double, issue: FieldIssue?, bins: DriftBins) -> Int {
        let unseen = bins.valueBinCount + 1
        if value.isNaN { return issue?.severity == .warning ? unseen : bins.missingBin }
        if let code = Int(exactly: value), code >= 0, code < bins.valueBinCount { return code }
        // An integer code training never saw (integer-coded categories keep the value).
        return unseen
    }

    /// Counts one scored row's score, by its probability of default.
    @inline(__always)
    public func tallyScore(probability: Double, into tallies: inout DriftTallies) {
        guard let bins = self.score, case .numeric(let edges) = bins.layout else { return }
        tallies.score.counts[edges.withUnsafeBufferPointer { DriftBins.numericBin(probability, edges: $0) }.bin] += 1
    }
}

/// One set of rows' tallies: per input and for the score. They add up (`+=`).
public struct DriftTallies: Sendable, Equatable, Codable {
    public var inputs: [DriftTally]
    public var score: DriftTally

    public static func += (a: inout DriftTallies, b: DriftTallies) {
        if a.inputs.isEmpty { a.inputs = b.inputs.map { DriftTally(binCount: $0.counts.count) } }
        for i in 0..<min(a.inputs.count, b.inputs.count) { a.inputs[i] += b.inputs[i] }
        a.score += b.score
    }
}
