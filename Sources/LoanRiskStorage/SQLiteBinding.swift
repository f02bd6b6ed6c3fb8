import GRDB
import GRDBSQLite

/// Binds a bulk insert's values straight to SQLite (`sqlite3_bind_*`), the way GRDB's
/// `StatementArguments` would bind their `DatabaseValue`s (text and blobs copied, dates as
/// GRDB's UTC text) without building them: the audit log inserts a record per answered
/// request, and making the arguments cost the writer's thread more than SQLite's insert.
package enum SQLiteBinding {
    package struct Failed: Error, CustomStringConvertible {
        package let code: Int32
        package let sql: String
        package var description: String { "SQLite could not bind a value (code \(code)) of: \(sql.prefix(120))" }
    }

    /// Binds `values` to `statement`'s parameters 1…n, after clearing what was bound before.
    /// GRDB is told the statement's arguments are set (to none: `execute()` then resets the
    /// statement and steps it, keeping these bindings).
    package static func bind(_ values: ArraySlice<SQLValue>, to statement: Statement) throws {
        statement.setUncheckedArguments(StatementArguments())
        let handle = statement.sqliteStatement
        var index: Int32 = 1
        for value in values {
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .real(let number): code = sqlite3_bind_double(handle, index, number)
            case .text(let text): code = bindText(text, handle: handle, index: index)
            case .date(let date): code = bindText(SQLiteDateText.text(from: date), handle: handle, index: index)
            case .bool(let flag): code = sqlite3_bind_int64(handle, index, flag ? 1 : 0)
            case .blob(let data):
                code = data.withUnsafeBytes { bytes in sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), transient) }
            }
            guard code == SQLITE_OK else { throw Failed(code: code, sql: statement.sql) }
            index += 1
        }
    }

    /// As GRDB binds a `String`: its C string, copied.
    private static func bindText(_ text: String, handle: OpaquePointer, index: Int32) -> Int32 {
        text.withCString { sqlite3_bind_text(handle, index, $0, -1, transient) }
    }

    /// SQLite copies the value before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
