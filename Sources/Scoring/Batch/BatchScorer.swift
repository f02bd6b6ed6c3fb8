/// Scores applicants: reads their cells through the bundle's schema, derives the model's
/// features, evaluates the model on the valid rows and applies the decision policy and score
/// scale. The one scoring path behind the CLI, the web upload and the JSON API, so all three
/// give the same numbers.
public struct BatchScorer: Sendable {
    public let bundle: ModelBundle
    /// Reads the cells: the bundle's own (decimal points), or one for decimal commas.
    public let encoder: FeatureEncoder
    public var reasonWriter: ReasonWriter { bundle.reasonWriter }

    public var model: any ScoringModel { bundle.model }
    public var schema: FeatureSchema { bundle.schema }

    /// Whether the bundle's completeness rules apply (`InputCompleteness`): always, but for
    /// checks of the model against LightGBM, which scores any row (`modelOnly`).
    public private(set) var checksCompleteness = true

    public init(bundle: ModelBundle, decimalMark: DecimalMark = .point) {
        self.bundle = bundle
        encoder = decimalMark == .point ? bundle.encoder : FeatureEncoder(schema: bundle.schema, decimalMark: decimalMark)
    }

    /// The same scorer reading numbers written with `mark`.
    public func reading(_ mark: DecimalMark) -> BatchScorer {
        guard mark != encoder.decimalMark else { return self }
        var scorer = BatchScorer(bundle: bundle, decimalMark: mark)
        scorer.checksCompleteness = checksCompleteness
        return scorer
    }

    /// The same scorer scoring every row the model can read, however few of its inputs it has,
    /// and approving by the cut-offs alone: the model as LightGBM evaluates it, for golden-row
    /// and parity checks. Never for a decision.
    public func modelOnly() -> BatchScorer {
        var scorer = self
        scorer.checksCompleteness = false
        return scorer
    }

    /// Whether the model's contributions (and so reasons) can be computed (not for LightGBM's linear-leaf models).
    public var canExplain: Bool { model.canExplain }

    /// Reads every input cell of `rowCount` rows and builds the model's feature matrix (NaN
    /// where missing or invalid), collecting each row's issues. `cell(row, feature, body)`
    /// hands the raw bytes of a row's cell for schema feature `feature` to `body`.
    public func encode(
        rowCount: Int,
        cell: (_ row: Int, _ feature: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> (FeatureMatrix, [[FieldIssue]]) {
        var ignored = IgnoredCells()
        return encode(rowCount: rowCount, observing: &ignored, cell: cell)
    }

    /// `encode`, also counting every raw cell into `tallies` against `drift` (the bundle's
    /// profile) as it is read, so drift costs no second pass over the file. The rows in
    /// `untallied` (lines whose fields did not line up with the header, so their cells sit in
    /// the wrong columns) are encoded but not counted: a shifted value is not the file's data.
    public func encode(
        rowCount: Int, drift: DriftProfile?, into tallies: inout DriftTallies, untallied: Set<Int> = [],
        cell: (_ row: Int, _ feature: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> (FeatureMatrix, [[FieldIssue]]) {
        guard let drift else { return encode(rowCount: rowCount, cell: cell) }
        // The tallies move into the observer and back, uncopied.
        var tallied = TalliedCells(profile: drift, tallies: DriftTallies(inputs: [], score: DriftTally(binCount: 0)), untallied: untallied)
        swap(&tallied.tallies, &tallies)
        defer { swap(&tallied.tallies, &tallies) }
        return encode(rowCount: rowCount, observing: &tallied, cell: cell)
    }

    /// The encoding loop, handing each raw cell's value and issue to `cells` as it is read.
    func encode<Cells: EncodedCells>(
        rowCount: Int, observing cells: inout Cells,
        cell: (_ row: Int, _ feature: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> (FeatureMatrix, [[FieldIssue]]) {
        let pipeline = bundle.pipeline
        let encoder = self.encoder
        let completeness = bundle.completeness
        let checksCompleteness = self.checksCompleteness
        var matrix = FeatureMatrix(featureCount: pipeline.modelFeatureCount, rowCount: rowCount)
        var issues = [[FieldIssue]](repeating: [], count: rowCount)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: pipeline.extendedCount) { extended in
            guard let values = extended.baseAddress else { return }
            for row in 0..<rowCount {
                for feature in 0..<pipeline.rawCount {
                    cell(row, feature) { bytes in
                        let (value, issue) = encoder.encode(bytes, feature: feature)
                        values[feature] = value
                        if let issue { issues[row].append(issue) }
                        cells.read(row: row, feature: feature, value: value, issue: issue)
                    }
                }
                if checksCompleteness {
                    completeness.check(values, issues: &issues[row]) { feature in
                        var text = ""
                        cell(row, feature) { text = String(decoding: ASCII.trimmed($0), as: UTF8.self) }
                        return text
                    }
                }
                pipeline.derive(values)
                for (target, source) in pipeline.modelSources.enumerated() { matrix[row, target] = values[source] }
            }
        }
        return (matrix, issues)
    }

    /// Scores `rowCount` rows on the calling thread (callers split big batches across workers).
    /// With `explain`, valid rows also carry their contributions and reasons (none for a
    /// model that cannot be explained: see `canExplain`).
    public func score(
        rowCount: Int, explain: ExplainOptions = .none,
        cell: (_ row: Int, _ feature: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> [RowOutcome] {
        let (matrix, issues) = encode(rowCount: rowCount, cell: cell)
        return score(matrix, issues: issues, explain: explain)
    }

    /// Scores rows already encoded (`encode`), on the calling thread: rows with an error
    /// are not scored; the others get a probability, decision and score (an approval held
    /// for review when a key input is missing: `InputCompleteness`).
    public func score(_ matrix: FeatureMatrix, issues: [[FieldIssue]], explain: ExplainOptions = .none) -> [RowOutcome] {
        let raw = model.rawScores(matrix, threads: 1)
        let explanations = explain.isEmpty ? nil : self.explain(matrix, issues: issues, options: explain, threads: 1)
        return (0..<matrix.rowCount).map { row in
            if issues[row].contains(where: { $0.severity == .error }) {
                return RowOutcome(probability: nil, decision: nil, score: nil, issues: issues[row])
            }
            let p = model.probability(rawScore: raw[row])
            return RowOutcome(
                probability: p, decision: bundle.policy.decide(probability: p, issues: issues[row]),
                score: bundle.scaling.points(probability: p), issues: issues[row], explanation: explanations?[row])
        }
    }

    /// Contributions and reasons for every row of `matrix` (nil for rows with an error, and
    /// for every row when the model cannot be explained). `issues` are the rows' field issues.
    public func explain(_ matrix: FeatureMatrix, issues: [[FieldIssue]], options: ExplainOptions, threads: Int) -> [Explanation?] {
        let width = model.featureCount + 1
        guard let phi = try? model.contributions(matrix, threads: threads) else {
            return Array(repeating: nil, count: matrix.rowCount)
        }
        let writer = reasonWriter
        return (0..<matrix.rowCount).map { row in
            if issues.indices.contains(row), issues[row].contains(where: { $0.severity == .error }) { return nil }
            let contributions = phi[row * width..<(row + 1) * width - 1]
            let reasons = writer.reasons(
                contributions: contributions, features: matrix.row(row),
                issues: issues.indices.contains(row) ? issues[row] : [], limit: options.reasons)
            return Explanation(
                contributions: options.contributions ? Array(contributions) : [],
                expectedValue: phi[(row + 1) * width - 1], reasons: reasons)
        }
    }

    /// Scores CSV records whose columns are laid out as `mapping` says.
    public func score(records: ArraySlice<CSVRecord>, mapping: ColumnMapping, explain: ExplainOptions = .none) -> [RowOutcome] {
        let base = records.startIndex
        let (matrix, cellIssues) = encode(rowCount: records.count) { row, feature, body in
            records[base + row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        var issues = cellIssues
        FieldIssue.addMisfits(records, to: &issues)
        return score(matrix, issues: issues, explain: explain)
    }

    /// Scores applicants given as text cells keyed by column name (forms, JSON); an absent
    /// key is a missing value. Explanations cost far more than scores, so several applicants
    /// that ask for them are split across `threads` workers; otherwise all stay on the calling thread.
    public func score(applicants: [[String: String]], explain: ExplainOptions = .none, threads: Int = 1) -> [RowOutcome] {
        score(applicants, explain: explain, threads: threads, sampling: false).outcomes
    }

    /// `score(applicants:explain:threads:)`, and the scored applicants' drift samples (as
    /// `driftSamples` makes them) taken from their cells as they are encoded rather than read
    /// again: what the API, OIP and form hand the traffic monitor. No samples for a model
    /// without a drift reference.
    public func scoreSampling(applicants: [[String: String]], explain: ExplainOptions = .none, threads: Int = 1) -> (outcomes: [RowOutcome], samples: [DriftSample]) {
        score(applicants, explain: explain, threads: threads, sampling: true)
    }

    private func score(_ applicants: [[String: String]], explain: ExplainOptions, threads: Int, sampling: Bool) -> (outcomes: [RowOutcome], samples: [DriftSample]) {
        if !explain.isEmpty, threads > 1, applicants.count > 1 {
            let scorer = self
            let parts = ParallelRows.map(rowCount: applicants.count, threads: threads) { range in
                scorer.score(Array(applicants[range]), explain: explain, threads: 1, sampling: sampling)
            }
            return (parts.flatMap(\.outcomes), parts.flatMap(\.samples))
        }
        let names = schema.requiredColumns
        let cell: (Int, Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void = { row, feature, body in
            var text = applicants[row][names[feature]] ?? ""
            text.withUTF8(body)
        }
        guard sampling, let profile = bundle.drift else {
            let (matrix, issues) = encode(rowCount: applicants.count, cell: cell)
            return (score(matrix, issues: issues, explain: explain), [])
        }
        var sampled = SampledCells(profile: profile, rowCount: applicants.count)
        let (matrix, issues) = encode(rowCount: applicants.count, observing: &sampled, cell: cell)
        let outcomes = score(matrix, issues: issues, explain: explain)
        return (outcomes, sampled.samples(outcomes: outcomes))
    }
}
