import Foundation

/// Reads a row as a Decodable record, by coding key = column.
package struct SQLRowDecoder: Decoder {
    package let row: SQLRow
    package var codingPath: [any CodingKey] = []
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(row: row))
    }

    package func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "A row is keyed by column."))
    }

    package func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "A row is keyed by column."))
    }

    package struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        package let row: SQLRow
        package var codingPath: [any CodingKey] { [] }
        package var allKeys: [Key] { row.columns.names.compactMap(Key.init(stringValue:)) }

        package func contains(_ key: Key) -> Bool { row.columns.index[key.stringValue] != nil }

        package func decodeNil(forKey key: Key) throws -> Bool {
            guard let index = row.columns.index[key.stringValue] else { return true }
            if case .null = row.values[index] { return true }
            return false
        }

        package func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeValue(type, forKey: key) }
        package func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, forKey: key) }
        package func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, forKey: key) }
        package func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, forKey: key) }
        package func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, forKey: key) }
        package func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, forKey: key) }
        package func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, forKey: key) }
        package func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, forKey: key) }
        package func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, forKey: key) }
        package func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, forKey: key) }
        package func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, forKey: key) }
        package func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, forKey: key) }
        package func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, forKey: key) }
        package func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, forKey: key) }
        package func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, forKey: key) }

        private func decodeValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let index = row.columns.index[key.stringValue] else { throw SQLError.noSuchColumn(key.stringValue) }
            return try SQLValueDecoder(value: row.values[index], column: key.stringValue).decode(T.self)
        }

        package func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw SQLError.noSuchColumn(key.stringValue)
        }

        package func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw SQLError.noSuchColumn(key.stringValue)
        }

        package func superDecoder() throws -> any Decoder { SQLRowDecoder(row: row) }
        package func superDecoder(forKey key: Key) throws -> any Decoder { SQLRowDecoder(row: row) }
    }
}

/// One column's value, for enums stored by their raw value.
package struct SQLValueDecoder: Decoder, SingleValueDecodingContainer {
    package let value: SQLValue
    package let column: String
    package var codingPath: [any CodingKey] { [] }
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw SQLError.unexpectedValue(column: column, value: value, expected: "\(Key.self)")
    }

    package func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SQLError.unexpectedValue(column: column, value: value, expected: "list")
    }

    package func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    package func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    package func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
    package func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    package func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    package func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    package func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    package func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    package func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    package func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    package func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    package func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    package func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    package func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    package func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    package func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    package func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }

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
