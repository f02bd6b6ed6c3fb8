/// What `BatchScorer.encode` does with each raw cell it has read, besides putting it in the
/// feature matrix. A generic parameter rather than a closure, so each use is compiled into
/// the encoding loop (the 50,000-row file's six million cells pay no call for it).
protocol EncodedCells {
    mutating func read(row: Int, feature: Int, value: Double, issue: FieldIssue?)
}

/// Nothing more.
struct IgnoredCells: EncodedCells {
    @inline(__always)
    mutating func read(row: Int, feature: Int, value: Double, issue: FieldIssue?) {}
}

/// Counts every cell into drift tallies against the bundle's profile: an upload's drift
/// without a second pass over the file.
struct TalliedCells: EncodedCells {
    let profile: DriftProfile
    var tallies: DriftTallies
    /// Rows whose cells are not counted (see `BatchScorer.encode(rowCount:drift:into:untallied:cell:)`).
    var untallied: Set<Int> = []

    @inline(__always)
    mutating func read(row: Int, feature: Int, value: Double, issue: FieldIssue?) {
        if !untallied.isEmpty, untallied.contains(row) { return }
        profile.tally(feature: feature, value: value, issue: issue, into: &tallies)
    }
}

/// Keeps each row's drift codes (`DriftSample`), the score's left for after scoring: a
/// request's applicants for the traffic window without reading their cells again.
struct SampledCells: EncodedCells {
    let profile: DriftProfile
    /// Codes a row: one per input, then the score's.
    private let width: Int
    private var codes: [UInt16]

    init(profile: DriftProfile, rowCount: Int) {
        self.profile = profile
        width = profile.inputs.count + 1
        codes = Array(repeating: DriftSample.noBin, count: rowCount * width)
    }

    @inline(__always)
    mutating func read(row: Int, feature: Int, value: Double, issue: FieldIssue?) {
        guard feature < width - 1, profile.inputs[feature] != nil else { return }
        codes[row * width + feature] = profile.code(feature: feature, value: value, issue: issue)
    }

    /// The samples of the rows that were scored, in row order.
    func samples(outcomes: [RowOutcome]) -> [DriftSample] {
        var samples: [DriftSample] = []
        samples.reserveCapacity(outcomes.count)
        for (row, outcome) in outcomes.enumerated() {
            guard let probability = outcome.probability, (row + 1) * width <= codes.count else { continue }
            var sample = Array(codes[(row * width)..<((row + 1) * width)])
            sample[width - 1] = profile.scoreCode(probability: probability)
            samples.append(DriftSample(codes: sample))
        }
        return samples
    }
}
