import Foundation

extension AuditStore {
    /// Appends those of `records` the log does not hold yet — by request id and row number,
    /// which name one API, OIP or form decision — in transactions of up to `chunk` records:
    /// replaying a journal twice, or records whose first write did commit after all, leaves
    /// each record once. Returns how many were added.
    ///
    /// (No unique index does this: an analyst's review record shares its batch id and row
    /// number with the next review of that row, and a second index on every insert would cost
    /// the API's throughput for the rare replay; the lookup uses `audit_record_request`.)
    @discardableResult
    package func appendMissing(_ records: [AuditRecord], chunk: Int = 1_000) async throws -> Int {
        var added = 0
        for start in stride(from: 0, to: records.count, by: chunk) {
            let part = Array(records[start..<min(start + chunk, records.count)])
            let requestIDs = Array(Set(part.map(\.requestID)))
            added += try await database.write { db in
                let present = Set(
                    try await db.query(
                        "SELECT request_id, row_number FROM audit_record WHERE request_id IN \(db.placeholders(requestIDs.count))", requestIDs
                    ).map { row in Key(requestID: try row.get("request_id"), rowNumber: try row.get("row_number")) })
                var seen = present
                let missing = part.filter { seen.insert(Key(requestID: $0.requestID, rowNumber: $0.rowNumber)).inserted }
                guard !missing.isEmpty else { return 0 }
                try await db.insert(into: AuditRecord.table, columns: AuditRecord.insertColumns, values: missing.flatMap(\.insertValues))
                return missing.count
            }
        }
        return added
    }

    private struct Key: Hashable {
        package let requestID: String
        package let rowNumber: Int?
    }
}
