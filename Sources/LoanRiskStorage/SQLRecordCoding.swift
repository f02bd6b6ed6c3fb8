import Foundation

/// Codable records to and from table rows, by their coding keys (the column names), so a
/// record type is described once for JSON and for both engines.
extension SQLRow {
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: SQLRowDecoder(row: self))
    }
}

/// A record's columns and values for an INSERT: every key, NULLs included, but those in
/// `skipping` (an autoincremented id).
public struct SQLRecordValues {
    public var columns: [String] = []
    public var values: [SQLValue] = []

    public init<T: Encodable>(_ record: T, skipping: Set<String> = []) throws {
        let encoder = SQLRecordEncoder()
        try record.encode(to: encoder)
        for (column, value) in encoder.storage.fields where !skipping.contains(column) {
            columns.append(column)
            values.append(value)
        }
    }
}

extension SQLConnection {
    /// Inserts one record; returns the `returning` column's value when asked (its new id).
    @discardableResult
    public func insert<T: Encodable>(_ record: T, into table: String, skipping: Set<String> = [], returning: String? = nil) async throws -> Int64? {
        let fields = try SQLRecordValues(record, skipping: skipping)
        let sql = "INSERT INTO \(table) (\(fields.columns.joined(separator: ", "))) VALUES \(placeholders(fields.columns.count))"
        guard let returning else {
            try await execute(sql, fields.values)
            return nil
        }
        return try await scalar(sql + " RETURNING \(returning)", fields.values)
    }

    /// Inserts one record unless a row with the same `key` is there — or being inserted by
    /// another transaction, which is waited for — and returns whether it inserted: a
    /// unique-key race between instances ends in "already there", not in an error.
    public func insertUnlessPresent<T: Encodable>(_ record: T, into table: String, key: [String]) async throws -> Bool {
        let fields = try SQLRecordValues(record)
        let sql = """
            INSERT INTO \(table) (\(fields.columns.joined(separator: ", "))) VALUES \(placeholders(fields.columns.count)) \
            ON CONFLICT (\(key.joined(separator: ", "))) DO NOTHING RETURNING 1
            """
        return try await scalar(sql, fields.values, as: Int64.self) != nil
    }

    /// Inserts records in as few statements as the engine allows.
    public func insert<T: Encodable>(_ records: some Collection<T>, into table: String, skipping: Set<String> = []) async throws {
        guard let first = records.first else { return }
        let columns = try SQLRecordValues(first, skipping: skipping).columns
        var values: [SQLValue] = []
        values.reserveCapacity(records.count * columns.count)
        for record in records {
            let fields = try SQLRecordValues(record, skipping: skipping)
            guard fields.columns == columns else { throw SQLError.noSuchColumn(columns.joined(separator: ", ")) }
            values += fields.values
        }
        try await insert(into: table, columns: columns, values: values)
    }
}
