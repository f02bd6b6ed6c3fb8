/// The statements of a bulk insert: `INSERT INTO table (columns) VALUES (?, …), (?, …)` for
/// consecutive runs of rows, at most `rowsPerStatement` rows (the engine's parameter limit)
/// each. Per-statement overhead dominated one-row inserts on both engines.
package struct MultiRowInsert {
    package struct Statement {
        package var sql: String
        /// Where its values are in the row-major values array.
        package var values: Range<Int>
    }

    package let statements: [Statement]

    package init(table: String, columns: [String], valueCount: Int, rowsPerStatement: Int) {
        let width = columns.count
        guard width > 0 else {
            statements = []
            return
        }
        let rowCount = valueCount / width
        let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let step = max(1, rowsPerStatement)
        statements = stride(from: 0, to: rowCount, by: step).map { start in
            let count = min(step, rowCount - start)
            return Statement(sql: head + Array(repeating: tuple, count: count).joined(separator: ", "),
                             values: (start * width)..<((start + count) * width))
        }
    }
}
