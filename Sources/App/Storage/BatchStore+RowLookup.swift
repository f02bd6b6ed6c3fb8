import Foundation
import GRDB

/// Rows of a batch by number, for the results table's top reasons: the script asks for the
/// rows on screen by number, and reading them one at a time (`row(batch:number:)`, which also
/// reads and waits for features) cost about 20 ms for a page of the benchmark model.
extension BatchStore {
    /// The given rows of a batch, by row number, in one read; numbers not in the batch are absent.
    public func rows(batch id: String, numbers: [Int]) async throws -> [Int: StoredRow] {
        guard !numbers.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: numbers.count).joined(separator: ", ")
        return try await database.writer.read { db in
            guard let key = try Self.key(db, id) else { return [:] }
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM batch_row WHERE batch_key = ? AND row_number IN (\(placeholders))",
                arguments: StatementArguments([key] + numbers.map(Int64.init)))
            return Dictionary(rows.map(Self.storedRow).map { ($0.rowNumber, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }
}
