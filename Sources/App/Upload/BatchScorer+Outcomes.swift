import Scoring

extension BatchScorer {
    /// Outcomes for an already encoded matrix: exactly what `score(rowCount:cell:)` does after
    /// its own `encode` (rows with an error are not scored; the others get a probability,
    /// decision and score), for callers that keep the matrix too. The upload test compares the
    /// stored results with the library's byte for byte, so the two cannot drift apart
    /// unnoticed; it belongs in Scoring (`score(matrix:issues:)`) and can move there as it is.
    func outcomes(matrix: FeatureMatrix, issues: [[FieldIssue]]) -> [RowOutcome] {
        let raw = model.rawScores(matrix, threads: 1)
        return (0..<matrix.rowCount).map { row in
            if issues[row].contains(where: { $0.severity == .error }) {
                return RowOutcome(probability: nil, decision: nil, score: nil, issues: issues[row])
            }
            let p = model.probability(rawScore: raw[row])
            return RowOutcome(
                probability: p, decision: bundle.policy.decide(probability: p),
                score: bundle.scaling.points(probability: p), issues: issues[row])
        }
    }
}
