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

private struct SQLRowDecoder: Decoder {
    let row: SQLRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "A row is keyed by column."))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "A row is keyed by column."))
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: SQLRow
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.columns.names.compactMap(Key.init(stringValue:)) }

        func contains(_ key: Key) -> Bool { row.columns.index[key.stringValue] != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard let index = row.columns.index[key.stringValue] else { return true }
            if case .null = row.values[index] { return true }
            return false
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeValue(type, forKey: key) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, forKey: key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, forKey: key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, forKey: key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, forKey: key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, forKey: key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, forKey: key) }

        private func decodeValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let index = row.columns.index[key.stringValue] else { throw SQLError.noSuchColumn(key.stringValue) }
            return try SQLValueDecoder(value: row.values[index], column: key.stringValue).decode(T.self)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw SQLError.noSuchColumn(key.stringValue)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw SQLError.noSuchColumn(key.stringValue)
        }

        func superDecoder() throws -> any Decoder { SQLRowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { SQLRowDecoder(row: row) }
    }
}

/// One column's value, for enums stored by their raw value.
private struct SQLValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: SQLValue
    let column: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw SQLError.unexpectedValue(column: column, value: value, expected: "\(Key.self)")
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SQLError.unexpectedValue(column: column, value: value, expected: "list")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }

    private func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let readable = T.self as? any SQLReadable.Type {
            guard let decoded = readable.init(sqlValue: value) as? T else {
                throw SQLError.unexpectedValue(column: column, value: value, expected: "\(T.self)")
            }
            return decoded
        }
        // The other numbers decode themselves through this container again: not ours to store.
        guard !(T.self is any Numeric.Type) else { throw SQLError.unexpectedValue(column: column, value: value, expected: "\(T.self)") }
        return try T(from: self)
    }
}

private final class SQLRecordEncoder: Encoder {
    final class Storage {
        var fields: [(String, SQLValue)] = []
    }

    let storage = Storage()
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(storage: storage))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("Records are encoded by column.")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("Records are encoded by column.")
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let storage: Storage
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws {
            storage.fields.append((key.stringValue, .null))
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: String, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeValue(value, forKey: key) }

        private mutating func encodeValue<T: Encodable>(_ value: T, forKey key: Key) throws {
            storage.fields.append((key.stringValue, try SQLValueEncoder.value(of: value, column: key.stringValue)))
        }

        // NULLs are columns too: every record of a type gives the same columns.
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("Records have no nested values.")
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("Records have no nested values.")
        }

        mutating func superEncoder() -> any Encoder { SQLRecordEncoder() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { SQLRecordEncoder() }
    }
}

/// One value as a column holds it: SQL types as they are, enums by their raw value.
private final class SQLValueEncoder: Encoder, SingleValueEncodingContainer {
    var value: SQLValue = .null
    let column: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(column: String) {
        self.column = column
    }

    static func value<T: Encodable>(of value: T, column: String) throws -> SQLValue {
        if let bindable = value as? any SQLBindable { return bindable.sqlValue }
        guard !(value is any Numeric) else { throw SQLError.unexpectedValue(column: column, value: .null, expected: "a stored type, not \(T.self)") }
        let encoder = SQLValueEncoder(column: column)
        try value.encode(to: encoder)
        return encoder.value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        preconditionFailure("Column \(column) holds one value.")
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("Column \(column) holds one value.")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() throws { value = .null }

    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }
    func encode(_ value: Bool) throws { try encodeValue(value) }
    func encode(_ value: String) throws { try encodeValue(value) }
    func encode(_ value: Double) throws { try encodeValue(value) }
    func encode(_ value: Float) throws { try encodeValue(value) }
    func encode(_ value: Int) throws { try encodeValue(value) }
    func encode(_ value: Int8) throws { try encodeValue(value) }
    func encode(_ value: Int16) throws { try encodeValue(value) }
    func encode(_ value: Int32) throws { try encodeValue(value) }
    func encode(_ value: Int64) throws { try encodeValue(value) }
    func encode(_ value: UInt) throws { try encodeValue(value) }
    func encode(_ value: UInt8) throws { try encodeValue(value) }
    func encode(_ value: UInt16) throws { try encodeValue(value) }
    func encode(_ value: UInt32) throws { try encodeValue(value) }
    func encode(_ value: UInt64) throws { try encodeValue(value) }

    private func encodeValue<T: Encodable>(_ value: T) throws {
        self.value = try Self.value(of: value, column: column)
    }
}
