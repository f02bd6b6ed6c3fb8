import Foundation

/// Collects a record's columns and values, NULLs included.
final class SQLRecordEncoder: Encoder {
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
final class SQLValueEncoder: Encoder, SingleValueEncodingContainer {
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
