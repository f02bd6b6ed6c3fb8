import Foundation

/// One scored applicant as drift windows keep it: for each input its bin against the
/// reference (and whether it was below or above the training range), then the score's bin.
/// Two bytes a cell and no values, so a window of recent traffic can be kept in the database
/// without keeping applicants' data, and its tallies rebuilt after a restart.
public struct DriftSample: Sendable, Equatable {
    /// Per input, then the score: a bin index, or `noBin` where there are no bins.
    public var codes: [UInt16]

    /// An input (or score) without reference bins.
    public static let noBin: UInt16 = 0x3FFF
    static let belowRange: UInt16 = 0x4000
    static let aboveRange: UInt16 = 0x8000
    static let binMask: UInt16 = 0x3FFF

    public init(codes: [UInt16]) {
        self.codes = codes
    }

    /// Little-endian, two bytes a code: what the database keeps.
    public var bytes: Data {
        var data = Data(capacity: codes.count * 2)
        for code in codes {
            data.append(UInt8(code & 0xFF))
            data.append(UInt8(code >> 8))
        }
        return data
    }

    /// nil when `bytes` is not whole codes.
    public init?(bytes: Data) {
        guard bytes.count % 2 == 0 else { return nil }
        let raw = [UInt8](bytes)
        codes = stride(from: 0, to: raw.count, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
    }
}

extension DriftProfile {
    /// The code of one input cell as the encoder read it (see `tally(feature:value:issue:into:)`).
    public func code(feature: Int, value: Double, issue: FieldIssue?) -> UInt16 {
        guard let bins = inputs[feature] else { return DriftSample.noBin }
        switch bins.layout {
        case .numeric(let edges):
            if value.isNaN { return UInt16(bins.missingBin) }
            let (bin, outside) = edges.withUnsafeBufferPointer { DriftBins.numericBin(value, edges: $0) }
            return UInt16(bin) | (outside < 0 ? DriftSample.belowRange : outside > 0 ? DriftSample.aboveRange : 0)
        case .categorical:
            return UInt16(Self.categoryBin(value, issue: issue, bins: bins))
        }
    }

    /// The code of a scored row's score, by its probability of default.
    public func scoreCode(probability: Double) -> UInt16 {
        guard let bins = score, case .numeric(let edges) = bins.layout else { return DriftSample.noBin }
        return UInt16(edges.withUnsafeBufferPointer { DriftBins.numericBin(probability, edges: $0) }.bin)
    }

    /// The tallies of some samples; a sample of another shape (kept for another profile) or
    /// with a bin this profile does not have is skipped whole.
    public func tallies(of samples: some Sequence<DriftSample>) -> DriftTallies {
        var tallies = emptyTallies()
        let width = inputs.count + 1
        sampleLoop: for sample in samples where sample.codes.count == width {
            for (feature, code) in sample.codes.enumerated() where code != DriftSample.noBin {
                let bin = Int(code & DriftSample.binMask)
                let count = feature < inputs.count ? tallies.inputs[feature].counts.count : tallies.score.counts.count
                guard bin < count else { continue sampleLoop }
            }
            for (feature, code) in sample.codes.enumerated() where code != DriftSample.noBin {
                let bin = Int(code & DriftSample.binMask)
                if feature == inputs.count {
                    tallies.score.counts[bin] += 1
                    continue
                }
                tallies.inputs[feature].counts[bin] += 1
                if code & DriftSample.belowRange != 0 { tallies.inputs[feature].below += 1 }
                if code & DriftSample.aboveRange != 0 { tallies.inputs[feature].above += 1 }
            }
        }
        return tallies
    }
}

extension BatchScorer {
    /// The drift samples of the scored rows among `rowCount` (in row order; rows that were not
    /// scored have none), reading their cells again: for the last rows of a file (applicants
    /// get theirs as they are scored, `scoreSampling`). Empty for a model without a drift
    /// reference.
    public func driftSamples(
        rowCount: Int, outcomes: [RowOutcome],
        cell: (_ row: Int, _ feature: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> [DriftSample] {
        guard let profile = bundle.drift else { return [] }
        // This scorer's own reader, with the decimal mark the file was scored with: the
        // bundle's (decimal points) read `12,99` as unreadable, and the window saw it missing.
        let encoder = self.encoder
        let inputCount = profile.inputs.count
        var samples: [DriftSample] = []
        for row in 0..<min(rowCount, outcomes.count) {
            guard let probability = outcomes[row].probability else { continue }
            var codes = [UInt16](repeating: DriftSample.noBin, count: inputCount + 1)
            for feature in 0..<inputCount where profile.inputs[feature] != nil {
                cell(row, feature) { bytes in
                    let (value, issue) = encoder.encode(bytes, feature: feature)
                    codes[feature] = profile.code(feature: feature, value: value, issue: issue)
                }
            }
            codes[inputCount] = profile.scoreCode(probability: probability)
            samples.append(DriftSample(codes: codes))
        }
        return samples
    }

    /// `driftSamples` of CSV records laid out as `mapping` says.
    public func driftSamples(records: ArraySlice<CSVRecord>, mapping: ColumnMapping, outcomes: [RowOutcome]) -> [DriftSample] {
        let base = records.startIndex
        return driftSamples(rowCount: records.count, outcomes: outcomes) { row, feature, body in
            records[base + row].withFieldBytes(mapping.featureColumns[feature], body)
        }
    }
}
