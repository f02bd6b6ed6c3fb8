@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// A database's schema as its engine's own catalog describes it, in the terms both engines
/// share (a column's type family rather than its spelling, an index by its columns), so that
/// what SQLite and PostgreSQL hold after the same migrations can be compared.
struct SchemaCatalog: Equatable {
    var tables: [String: Table]

    struct Table: Equatable {
        var columns: [String: Column]
        var primaryKey: [String]
        var indexes: [String: Index]
        var foreignKeys: [ForeignKey]
    }

    struct Column: Equatable, CustomStringConvertible {
        var type: TypeFamily
        var notNull: Bool
        /// The default as a literal both engines write alike (`0`, `'point'`), nil when none.
        var defaultValue: String?
        /// Filled in by the engine when an insert leaves it out (AUTOINCREMENT, identity).
        var generated: Bool

        var description: String {
            var words = [type.rawValue, notNull ? "NOT NULL" : "nullable"]
            if let defaultValue { words.append("DEFAULT \(defaultValue)") }
            if generated { words.append("generated") }
            return words.joined(separator: " ")
        }
    }

    enum TypeFamily: Equatable {
        case integer, real, text, blob, timestamp, boolean
        case other(String)

        var rawValue: String {
            switch self {
            case .integer: "integer"
            case .real: "real"
            case .text: "text"
            case .blob: "blob"
            case .timestamp: "timestamp"
            case .boolean: "boolean"
            case .other(let spelled): "other (\(spelled))"
            }
        }
    }

    /// An index made by CREATE INDEX, or by a UNIQUE constraint (whose name each engine
    /// makes up, so it is keyed by its columns instead). Primary keys are `Table.primaryKey`.
    struct Index: Equatable, CustomStringConvertible {
        var columns: [String]
        var unique: Bool

        var description: String { "\(unique ? "UNIQUE " : "")(\(columns.joined(separator: ", ")))" }

        /// The key a UNIQUE constraint's index is filed under.
        static func constraintName(_ columns: [String]) -> String { "UNIQUE(\(columns.joined(separator: ", ")))" }
    }

    struct ForeignKey: Equatable, Comparable, CustomStringConvertible {
        var columns: [String]
        var table: String
        var referencedColumns: [String]
        /// NO ACTION, CASCADE, SET NULL, SET DEFAULT or RESTRICT.
        var onDelete: String

        var description: String {
            "(\(columns.joined(separator: ", "))) → \(table)(\(referencedColumns.joined(separator: ", "))) ON DELETE \(onDelete)"
        }

        static func < (a: ForeignKey, b: ForeignKey) -> Bool { a.description < b.description }
    }

    /// Every way `other` differs from this catalog, one sentence each naming the table, the
    /// column or index, and what each side holds; empty when they agree.
    func differences(from other: SchemaCatalog, names: (String, String)) -> [String] {
        let (mine, theirs) = names
        var found: [String] = []
        for name in Set(tables.keys).union(other.tables.keys).sorted() {
            guard let a = tables[name] else { found.append("table \(name): only in \(theirs)"); continue }
            guard let b = other.tables[name] else { found.append("table \(name): only in \(mine)"); continue }
            for column in Set(a.columns.keys).union(b.columns.keys).sorted() {
                let left = a.columns[column]?.description ?? "absent"
                let right = b.columns[column]?.description ?? "absent"
                if left != right { found.append("table \(name), column \(column): \(mine) \(left), \(theirs) \(right)") }
            }
            if a.primaryKey != b.primaryKey {
                found.append("table \(name), primary key: \(mine) (\(a.primaryKey.joined(separator: ", "))), \(theirs) (\(b.primaryKey.joined(separator: ", ")))")
            }
            for index in Set(a.indexes.keys).union(b.indexes.keys).sorted() {
                let left = a.indexes[index]?.description ?? "absent"
                let right = b.indexes[index]?.description ?? "absent"
                if left != right { found.append("table \(name), index \(index): \(mine) \(left), \(theirs) \(right)") }
            }
            let leftKeys = a.foreignKeys.sorted(), rightKeys = b.foreignKeys.sorted()
            if leftKeys != rightKeys {
                let describe = { (keys: [ForeignKey]) in keys.isEmpty ? "none" : keys.map(\.description).joined(separator: "; ") }
                found.append("table \(name), foreign keys: \(mine) \(describe(leftKeys)), \(theirs) \(describe(rightKeys))")
            }
        }
        return found
    }
}
