/// Scores a CSV stream chunk by chunk: reads up to `chunkSize` records, scores them on all
/// workers, hands each worker's part to `consume` in file order, and goes on. Memory stays
/// bounded by the chunk size whatever the file size. The CLI and the web upload both use it.
public struct ChunkedScoring: Sendable {
    public let scorer: BatchScorer
    public let threads: Int
    /// Records per chunk: enough to keep every worker busy, small enough to stay in cache.
    public var chunkSize = 8192

    public init(scorer: BatchScorer, threads: Int) {
        self.scorer = scorer
        self.threads = threads
    }

    /// - Parameters:
    ///   - transform: runs on a worker for a run of consecutive records, with the 0-based
    ///     index of its first record in the file and the records' outcomes.
    ///   - consume: runs on the calling thread, in file order.
    /// - Returns: the number of records read.
    @discardableResult
    public func run<Part: Sendable>(
        reader: CSVReader, mapping: ColumnMapping,
        transform: @escaping @Sendable (_ firstIndex: Int, _ records: ArraySlice<CSVRecord>, _ outcomes: [RowOutcome]) -> Part,
        consume: (Part) throws -> Void
    ) throws -> Int {
        var records = [CSVRecord](repeating: CSVRecord(), count: chunkSize)
        var total = 0
        while true {
            var count = 0
            while count < chunkSize, try reader.read(into: &records[count]) { count += 1 }
            if count == 0 { break }
            let chunk = records[0..<count]
            let base = total
            let parts = ParallelRows.map(rowCount: count, threads: threads) { [scorer] range in
                transform(base + range.lowerBound, chunk[range], scorer.score(records: chunk[range], mapping: mapping))
            }
            for part in parts { try consume(part) }
            total += count
            if count < chunkSize { break }
        }
        return total
    }
}
