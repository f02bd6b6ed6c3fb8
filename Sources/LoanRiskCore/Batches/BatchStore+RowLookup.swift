import Foundation
import LoanRiskStorage

/// Rows of a batch by number, for the results table's top reasons: the script asks for the
/// rows on screen by number, and reading them one at a time (`row(batch:number:)`, which also
/// reads and waits for features) cost about 20 ms for a page of the benchmark model.
extension BatchStore {
    /// The given rows of a batch, by row number, in one read; numbers not in the batch are absent.
    public func rows(batch id: String, numbers: [Int]) async throws -> [Int: StoredRow] {
        guard !numbers.isEmpty else { return [:] }
        return try await database.read { db in
            guard let key = try await Self.key(db, id) else { return [:] }
            let rows = try await db.query(
                "SELECT \(Self.rowSelection(dialect: db.dialect)) FROM batch_row WHERE batch_key = ? AND row_number IN \(db.placeholders(numbers.count))", [key] + numbers.map { $0 as any SQLBindable })
            return Dictionary(try rows.map { try Self.storedRow($0) }.map { ($0.rowNumber, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }
}
