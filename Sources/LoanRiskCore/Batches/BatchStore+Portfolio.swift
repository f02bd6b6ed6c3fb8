import Foundation
import LoanRiskStorage

extension BatchStore {
    /// One scored row as the portfolio summary needs it.
    public struct ScoredRow: Sendable {
        public var rowNumber: Int
        public var probability: Double
        public var decision: String?
        public var score: Int?
    }

    /// The scored rows a query's filters keep (all pages; no order), and how many rows it keeps
    /// in all (scored or not): what the summary cards and charts describe.
    public func portfolio(batch id: String, query: RowQuery) async throws -> (scored: [ScoredRow], matching: Int) {
        let (filter, arguments, _) = Self.clauses(query, dialect: database.dialect)
        return try await database.read { db in
            guard let key = try await Self.key(db, id) else { return ([], 0) }
            let matching = try await db.scalar("SELECT COUNT(*) FROM batch_row WHERE \(filter)", [key] + arguments, as: Int.self) ?? 0
            let rows = try await db.query(
                "SELECT row_number, probability, decision, score FROM batch_row WHERE \(filter) AND probability IS NOT NULL", [key] + arguments)
            return (try rows.map { ScoredRow(rowNumber: try $0.get("row_number"), probability: try $0.get("probability"), decision: try $0.get("decision"), score: try $0.get("score")) }, matching)
        }
    }
}
