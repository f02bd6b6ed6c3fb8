/// A model's drift reference: the PSI bins of every raw input that has one, and of the
/// score, from bundle.json's `reference`; what uploads and windows tally against.
public struct DriftProfile: Sendable {
    /// By the schema's feature index; nil where the bundle has no usable reference.
    public let inputs: [DriftBins?]
    public let score: DriftBins?
    public let bands: DriftBands

    /// nil for a model without a reference (a bare model.txt): nothing to compare with.
    public init?(schema: FeatureSchema, manifest: BundleManifest?) {
        guard let reference = manifest?.reference else { return nil }
        inputs = schema.features.map { DriftBins(spec: $0, reference: reference.features?[$0.name]) }
        // The score falls as the probability rises, so the probability's bins give the score's
        // PSI exactly, without the rounding of whole score points.
        score = DriftBins(name: "score", reference: reference.probability)
        bands = manifest?.driftBands ?? .standard
        guard inputs.contains(where: { $0 != nil }) || score != nil else { return nil }
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
            let (bin, outside) = bins.numericBin(value, edges: edges)
            tallies.inputs[feature].counts[bin] += 1
            if outside < 0 { tallies.inputs[feature].below += 1 } else if outside > 0 { tallies.inputs[feature].above += 1 }
        case .categorical(let labels):
            if value.isNaN {
                let unseen = issue?.severity == .warning
                tallies.inputs[feature].counts[unseen ? bins.valueBinCount + 1 : bins.missingBin] += 1
            } else if let code = Int(exactly: value), code >= 0, code < labels.count {
                tallies.inputs[feature].counts[code] += 1
            } else {
                // An integer code training never saw (integer-coded categories keep the value).
                tallies.inputs[feature].counts[bins.valueBinCount + 1] += 1
            }
        }
    }

    /// Counts one scored row's score, by its probability of default.
    @inline(__always)
    public func tallyScore(probability: Double, into tallies: inout DriftTallies) {
        guard let bins = self.score, case .numeric(let edges) = bins.layout else { return }
        tallies.score.counts[bins.numericBin(probability, edges: edges).bin] += 1
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
