import Foundation
import LoanRiskStorage

extension BatchStore {
    /// An analyst's decision on a row the model referred for review, with their note.
    public struct Review: Sendable, Equatable {
        public var decision: String
        public var note: String
        public var decidedAt: Date
    }

    /// Records (or replaces) the decision on row `number` of batch `id`; false when the batch is gone.
    @discardableResult
    public func recordReview(batch id: String, row number: Int, decision: String, note: String, at: Date = Date()) async throws -> Bool {
        try await database.write { db in
            guard let key = try await Self.key(db, id) else { return false }
            try await db.execute(
                """
                INSERT INTO batch_review (batch_key, row_number, decision, note, decided_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (batch_key, row_number) DO UPDATE SET decision = excluded.decision, note = excluded.note, decided_at = excluded.decided_at
                """,
                [key, number, decision, note, at])
            return true
        }
    }

    /// Every decision recorded on batch `id`, by row number.
    public func reviews(batch id: String) async throws -> [Int: Review] {
        try await database.read { db in
            guard let key = try await Self.key(db, id) else { return [:] }
            var out: [Int: Review] = [:]
            for row in try await db.query("SELECT row_number, decision, note, decided_at FROM batch_review WHERE batch_key = ?", [key]) {
                out[try row.get("row_number")] = Review(decision: try row.get("decision"), note: try row.get("note"), decidedAt: try row.get("decided_at"))
            }
            return out
        }
    }
}
