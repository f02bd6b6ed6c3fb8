import Scoring
import Synchronization

/// One `BatchScorer` per model, built on first use and kept: building one also builds the
/// bundle's `ReasonWriter` (a descriptor per model feature), which a single-applicant request
/// must not pay for each time. Keyed by name and version, so a model swapped in the registry
/// under the same name gets a fresh scorer.
final class ScorerCache: Sendable {
    /// A model's scorer and what the API asks of it on every request.
    struct Entry: Sendable {
        let scorer: BatchScorer
        /// `scorer.canExplain`, which scans every tree, looked at once.
        let canExplain: Bool

        /// Scores applicants given as cells. Explanations cost far more than the scores, so a
        /// batch that asks for them is split across `threads` workers; one applicant stays on
        /// the calling thread.
        func score(_ cells: [[String: String]], explain: ExplainOptions, threads: Int) -> [RowOutcome] {
            guard !explain.isEmpty, cells.count > 1 else { return scorer.score(applicants: cells, explain: explain) }
            let scorer = self.scorer
            return ParallelRows.map(rowCount: cells.count, threads: threads) { range in
                scorer.score(applicants: Array(cells[range]), explain: explain)
            }.flatMap { $0 }
        }
    }

    private let entries = Mutex<[String: (version: String, entry: Entry)]>([:])

    /// The entry for `bundle`, built if this is its first request.
    func entry(for bundle: ModelBundle) -> Entry {
        if let cached = entries.withLock({ $0[bundle.name] }), cached.version == bundle.version {
            return cached.entry
        }
        // Built outside the lock: two first requests may both build one; either is right.
        let scorer = BatchScorer(bundle: bundle)
        let entry = Entry(scorer: scorer, canExplain: scorer.canExplain)
        entries.withLock { $0[bundle.name] = (bundle.version, entry) }
        return entry
    }
}
