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
        /// The run's drift counts (inputs and scores), when `tallyDrift` asked for them and
        /// the model has a reference.
        public let drift: DriftTallies?
    }

    public let scorer: BatchScorer
    public let threads: Int
    /// What to explain for every valid row.
    public var explain: ExplainOptions
    /// Records per chunk: enough to keep every worker busy, small enough to stay in cache.
    public var chunkSize = Self.defaultChunkSize
    /// Also how many first rows decide a file's decimal mark.
    public static let defaultChunkSize = 8192
    /// Whether each run also counts its inputs and scores against the bundle's drift profile.
    public var tallyDrift = false
    /// How the file writes decimals: decided from its first chunk (`auto`, the default) or as told.
    public var decimalMarks = DecimalMark.Choice.auto

    /// What a run read.
    public struct Summary: Sendable {
        /// Records read.
        public var records: Int
        /// The decimal mark the numbers were read with.
        public var decimalMark: DecimalMark
    }

    public init(scorer: BatchScorer, threads: Int, explain: ExplainOptions = .none) {
        self.scorer = scorer
        self.threads = threads
        self.explain = explain
    }

    /// - Parameters:
    ///   - transform: runs on a worker for each run of consecutive records.
    ///   - consume: runs on the calling thread, in file order.
    /// - Returns: the records read and the decimal mark they were read with.
    /// - Throws: the reader's errors, and an `InputFileError` when `auto` finds columns that
    ///   disagree about the decimal mark.
    @discardableResult
    public func run<Part: Sendable>(
        reader: CSVReader, mapping: ColumnMapping,
        transform: @escaping @Sendable (Run) -> Part,
        consume: (Part) throws -> Void
    ) throws -> Summary {
        var records = [CSVRecord](repeating: CSVRecord(), count: chunkSize)
        var total = 0
        var scorer = self.scorer
        let explain = self.explain
        let profile = tallyDrift ? scorer.bundle.drift : nil
        var mark: DecimalMark?
        while true {
            var count = 0
            while count < chunkSize, try reader.read(into: &records[count]) { count += 1 }
            if count == 0 { break }
            let chunk = records[0..<count]
            if mark == nil {
                let decided = try decide(chunk, mapping: mapping, delimiter: reader.delimiter)
                scorer = scorer.reading(decided)
                mark = decided
            }
            let base = total
            let current = scorer
            let parts = ParallelRows.map(rowCount: count, threads: threads) { range in
                let slice = chunk[range]
                var tallies = profile?.emptyTallies() ?? DriftTallies(inputs: [], score: DriftTally(binCount: 0))
                let misfits = Set(slice.indices.filter { slice[$0].misfit != nil }.map { $0 - slice.startIndex })
                let (matrix, cellIssues) = current.encode(rowCount: slice.count, drift: profile, into: &tallies, untallied: misfits) { row, feature, body in
                    slice[range.lowerBound + row].withFieldBytes(mapping.featureColumns[feature], body)
                }
                var issues = cellIssues
                FieldIssue.addMisfits(slice, to: &issues)
                let outcomes = current.score(matrix, issues: issues, explain: explain)
                if let profile {
                    for outcome in outcomes { if let p = outcome.probability { profile.tallyScore(probability: p, into: &tallies) } }
                }
                return transform(Run(
                    firstIndex: base + range.lowerBound, records: slice, outcomes: outcomes, matrix: matrix, drift: profile == nil ? nil : tallies))
            }
            for part in parts { try consume(part) }
            total += count
            if count < chunkSize { break }
        }
        return Summary(records: total, decimalMark: mark ?? scorer.encoder.decimalMark)
    }

    private func decide(_ chunk: ArraySlice<CSVRecord>, mapping: ColumnMapping, delimiter: UInt8) throws(InputFileError) -> DecimalMark {
        switch decimalMarks {
        case .point: return .point
        case .comma: return .comma
        case .auto: return try DecimalMarkDetector(schema: scorer.schema, mapping: mapping).decide(chunk, delimiter: delimiter)
        }
    }
}
