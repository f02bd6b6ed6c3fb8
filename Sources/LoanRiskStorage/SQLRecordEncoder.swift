import Foundation

/// Collects a record's columns and values, NULLs included.
package final class SQLRecordEncoder: Encoder {
    package final class Storage {
        package var fields: [(String, SQLValue)] = []
    }

    package let storage = Storage()
    package var codingPath: [any CodingKey] { [] }
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(storage: storage))
    }

    package func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("Records are encoded by column.")
    }

    package func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("Records are encoded by column.")
    }

    package struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        package let storage: Storage
        package var codingPath: [any CodingKey] { [] }

        package mutating func encodeNil(forKey key: Key) throws {
            storage.fields.append((key.stringValue, .null))
        }

        package mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Bool, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: String, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Double, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Float, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Int, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
        package mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeValue(value, forKey: key) }

        private mutating func encodeValue<T: Encodable>(_ value: T, forKey key: Key) throws {
            storage.fields.append((key.stringValue, try SQLValueEncoder.value(of: value, column: key.stringValue)))
        }

        // NULLs are columns too: every record of a type gives the same columns.
        package mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        package mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        package mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        package mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        package mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        package mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }

        package mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("Records have no nested values.")
        }

        package mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("Records have no nested values.")
        }

        package mutating func superEncoder() -> any Encoder { SQLRecordEncoder() }
        package mutating func superEncoder(forKey key: Key) -> any Encoder { SQLRecordEncoder() }
    }
}

/// One value as a column holds it: SQL types as they are, enums by their raw value.
package final class SQLValueEncoder: Encoder, SingleValueEncodingContainer {
    package var value: SQLValue = .null
    package let column: String
    package var codingPath: [any CodingKey] { [] }
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    package init(column: String) {
        self.column = column
    }

    package static func value<T: Encodable>(of value: T, column: String) throws -> SQLValue {
        if let bindable = value as? any SQLBindable { return bindable.sqlValue }
        guard !(value is any Numeric) else { throw SQLError.unexpectedValue(column: column, value: .null, expected: "a stored type, not \(T.self)") }
        let encoder = SQLValueEncoder(column: column)
        try value.encode(to: encoder)
        return encoder.value
    }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        preconditionFailure("Column \(column) holds one value.")
    }

    package func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("Column \(column) holds one value.")
    }

    package func singleValueContainer() -> any SingleValueEncodingContainer { self }

    package func encodeNil() throws { value = .null }

    package func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }
    package func encode(_ value: Bool) throws { try encodeValue(value) }
    package func encode(_ value: String) throws { try encodeValue(value) }
    package func encode(_ value: Double) throws { try encodeValue(value) }
    package func encode(_ value: Float) throws { try encodeValue(value) }
    package func encode(_ value: Int) throws { try encodeValue(value) }
    package func encode(_ value: Int8) throws { try encodeValue(value) }
    package func encode(_ value: Int16) throws { try encodeValue(value) }
    package func encode(_ value: Int32) throws { try encodeValue(value) }
    package func encode(_ value: Int64) throws { try encodeValue(value) }
    package func encode(_ value: UInt) throws { try encodeValue(value) }
    package func encode(_ value: UInt8) throws { try encodeValue(value) }
    package func encode(_ value: UInt16) throws { try encodeValue(value) }
    package func encode(_ value: UInt32) throws { try encodeValue(value) }
    package func encode(_ value: UInt64) throws { try encodeValue(value) }

    private func encodeValue<T: Encodable>(_ value: T) throws {
        self.value = try Self.value(of: value, column: column)
    }
}
