/// A line with more or fewer fields than the header, as that row's error: the reader fitted
/// it to the header (`CSVReaderOptions.RaggedRecords.fit`) so the rest of the file is
/// scored, and the row says which line it was and what it had.
extension FieldIssue {
    /// The error of a record the reader fitted, naming the line and both counts; nil for one that fit.
    public static func misfit(_ record: CSVRecord) -> FieldIssue? {
        guard let misfit = record.misfit else { return nil }
        return FieldIssue(severity: .error, column: "", value: "", message: misfit.sentence(line: record.line))
    }

    /// Puts each fitted record's error first among its row's issues (`issues[i]` for `records[startIndex + i]`).
    static func addMisfits(_ records: ArraySlice<CSVRecord>, to issues: inout [[FieldIssue]]) {
        for (row, record) in zip(issues.indices, records) {
            if let issue = misfit(record) { issues[row].insert(issue, at: 0) }
        }
    }
}
