import Foundation

/// One result row: its values by column name, read as Swift types.
public struct SQLRow: Sendable {
    /// Column names to their index, shared by every row of one result.
    public let columns: SQLColumns
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column`, which must exist and hold a `T`.
    public func get<T: SQLReadable>(_ column: String, as type: T.Type = T.self) throws -> T {
        let value = try raw(column)
        guard let decoded = T(sqlValue: value) else {
            throw SQLError.unexpectedValue(column: column, value: value, expected: "\(T.self)")
        }
        return decoded
    }

    /// The value of `column`, nil when it is NULL.
    public func get<T: SQLReadable>(_ column: String, as type: T?.Type = T?.self) throws -> T? {
        let value = try raw(column)
        if case .null = value { return nil }
        guard let decoded = T(sqlValue: value) else {
            throw SQLError.unexpectedValue(column: column, value: value, expected: "\(T.self)")
        }
        return decoded
    }

    /// The first column's value (for `SELECT COUNT(*)` and the like).
    public func first<T: SQLReadable>(as type: T.Type = T.self) throws -> T? {
        guard let value = values.first else { return nil }
        if case .null = value { return nil }
        guard let decoded = T(sqlValue: value) else {
            throw SQLError.unexpectedValue(column: columns.names.first ?? "", value: value, expected: "\(T.self)")
        }
        return decoded
    }

    private func raw(_ column: String) throws -> SQLValue {
        guard let index = columns.index[column], index < values.count else { throw SQLError.noSuchColumn(column) }
        return values[index]
    }
}

/// A result's column names, looked up by name.
public final class SQLColumns: Sendable {
    public let names: [String]
    package let index: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.index = index
    }
}

/// What went wrong reading a result or talking to the database, in words.
public enum SQLError: Error, CustomStringConvertible {
    case noSuchColumn(String)
    case unexpectedValue(column: String, value: SQLValue, expected: String)
    /// The database was migrated by a newer LoanRisk than this one.
    case newerSchema(applied: [String])
    case badURL(String)

    public var description: String {
        switch self {
        case .noSuchColumn(let column):
            return "The result has no column \(column)."
        case .unexpectedValue(let column, let value, let expected):
            return "Column \(column) holds \(value), not a \(expected)."
        case .newerSchema(let applied):
            return "This database was migrated by a newer LoanRisk (migrations this version does not know: \(applied.joined(separator: ", "))). Run that version, or a newer one, against it; this one will not start."
        case .badURL(let why):
            return "DATABASE_URL \(why)"
        }
    }
}
