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

    /// The highest row number of a batch (0 when none): the row count, unless an erasure took
    /// rows out (their numbers stay unused, so the others keep theirs).
    public func lastRowNumber(batch id: String) async throws -> Int {
        try await database.read { db in
            guard let key = try await Self.key(db, id) else { return 0 }
            return try await db.scalar("SELECT MAX(row_number) FROM batch_row WHERE batch_key = ?", [key], as: Int.self) ?? 0
        }
    }

    /// The rows before and after `number` in file order (nil at either end), over any rows an erasure took out.
    public func neighbours(batch id: String, of number: Int) async throws -> (previous: Int?, next: Int?) {
        try await database.read { db in
            guard let key = try await Self.key(db, id) else { return (nil, nil) }
            let previous = try await db.scalar("SELECT MAX(row_number) FROM batch_row WHERE batch_key = ? AND row_number < ?", [key, number], as: Int.self)
            let next = try await db.scalar("SELECT MIN(row_number) FROM batch_row WHERE batch_key = ? AND row_number > ?", [key, number], as: Int.self)
            return (previous, next)
        }
    }
}
