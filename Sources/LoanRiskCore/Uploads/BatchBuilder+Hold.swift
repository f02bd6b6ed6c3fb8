import Scoring

extension BatchBuilder {
    /// Holds a scored file's approvals for review (`DriftHold`), once its whole drift is known.
    /// Rows are scored in a streaming pass and drift is tallied during it, so the hold cannot
    /// be applied as each row is decided; but every row of an upload is still in memory until
    /// the batch is stored in one transaction, so the held rows are rewritten here, before that
    /// transaction: the stored decisions, statuses, the rows' warnings (their pages), the audit
    /// records and the summary's counts all read the held decision, and no reader ever sees
    /// the approvals. Returns how many were held.
    static func hold(_ hold: DriftHold, rows: inout [StoredRow], features: inout [RowFeatures.Block]) -> Int {
        var held = Set<Int>()
        for index in rows.indices where rows[index].decision == Decision.approve.rawValue {
            rows[index].decision = Decision.review.rawValue
            rows[index].state = "warning"
            rows[index].status = hold.status(after: rows[index].status)
            held.insert(rows[index].rowNumber)
        }
        guard !held.isEmpty else { return 0 }
        for block in features.indices {
            let range = features[block].firstRow..<(features[block].firstRow + features[block].rowCount)
            let rowsHere = range.filter(held.contains)
            guard !rowsHere.isEmpty else { continue }
            var warnings = Dictionary(features[block].warnings.map { ($0.row, $0.issues) }, uniquingKeysWith: { a, _ in a })
            for row in rowsHere { warnings[row, default: []].append(hold.issue) }
            features[block].warnings = warnings.sorted { $0.key < $1.key }.map { (row: $0.key, issues: $0.value) }
        }
        return held.count
    }
}
