/// Scores a CSV stream chunk by chunk: reads up to `chunkSize` records, scores (and, when
/// asked, explains) them on all workers, hands each worker's part to `consume` in file
/// order, and goes on. Memory stays bounded by the chunk size whatever the file size. The
/// CLI, the web upload and the API's CSV answer all use it.
public struct ChunkedScoring: Sendable {
    /// One worker's run of consecutive records, scored.
    public struct Run: Sendable {
        /// The 0-based index of the first record in the file.
        public let firstIndex: Int
        public let records: ArraySlice<CSVRecord>
        /// One per record, with explanations when `explain` asks for them.
        public let outcomes: [RowOutcome]
        /// The records' model features, row `i` for `records[records.startIndex + i]`.
        public let matrix: FeatureMatrix
    }

    public let scorer: BatchScorer
    public let threads: Int
    /// What to explain for every valid row.
    public var explain: ExplainOptions
    /// Records per chunk: enough to keep every worker busy, small enough to stay in cache.
    public var chunkSize = 8192

    public init(scorer: BatchScorer, threads: Int, explain: ExplainOptions = .none) {
        self.scorer = scorer
        self.threads = threads
        self.explain = explain
    }

    /// - Parameters:
    ///   - transform: runs on a worker for each run of consecutive records.
    ///   - consume: runs on the calling thread, in file order.
    /// - Returns: the number of records read.
    @discardableResult
    public func run<Part: Sendable>(
        reader: CSVReader, mapping: ColumnMapping,
        transform: @escaping @Sendable (Run) -> Part,
        consume: (Part) throws -> Void
    ) throws -> Int {
        var records = [CSVRecord](repeating: CSVRecord(), count: chunkSize)
        var total = 0
        let (scorer, explain) = (self.scorer, self.explain)
        while true {
            var count = 0
            while count < chunkSize, try reader.read(into: &records[count]) { count += 1 }
            if count == 0 { break }
            let chunk = records[0..<count]
            let base = total
            let parts = ParallelRows.map(rowCount: count, threads: threads) { range in
                let slice = chunk[range]
                let (matrix, issues) = scorer.encode(rowCount: slice.count) { row, feature, body in
                    slice[range.lowerBound + row].withFieldBytes(mapping.featureColumns[feature], body)
                }
                let outcomes = scorer.score(matrix, issues: issues, explain: explain)
                return transform(Run(firstIndex: base + range.lowerBound, records: slice, outcomes: outcomes, matrix: matrix))
            }
            for part in parts { try consume(part) }
            total += count
            if count < chunkSize { break }
        }
        return total
    }
}
