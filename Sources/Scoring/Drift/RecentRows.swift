/// The last scored rows of a file read in chunks (`ChunkedScoring`), kept while it is read
/// so that, at the end, the newest `limit` applicants can join a drift window without the
/// file being read again. Holds the chunks' records (no copies), and lets go of older ones.
public struct RecentRows: Sendable {
    public let limit: Int
    private var parts: [(records: ArraySlice<CSVRecord>, outcomes: [RowOutcome])] = []
    private var kept = 0

    public init(limit: Int) {
        self.limit = limit
    }

    /// Adds the next run of rows, in file order.
    public mutating func append(records: ArraySlice<CSVRecord>, outcomes: [RowOutcome]) {
        guard limit > 0 else { return }
        parts.append((records, outcomes))
        kept += records.count
        while let first = parts.first, kept - first.records.count >= limit {
            kept -= first.records.count
            parts.removeFirst()
        }
    }

    /// The drift samples of the newest `limit` scored rows, oldest first.
    public func samples(scorer: BatchScorer, mapping: ColumnMapping) -> [DriftSample] {
        let all = parts.flatMap { part in scorer.driftSamples(records: part.records, mapping: mapping, outcomes: part.outcomes) }
        return Array(all.suffix(limit))
    }
}
