/// The results CSV: every input column unchanged, then LoanRisk's columns. One encoder for
/// the CLI and the web download, so both give byte-identical files for the same input.
public enum ResultsCSV {
    public static let resultColumns = ["probability_of_default", "decision", "score", "status"]

    /// The results header: the input's header followed by `resultColumns`.
    public static func header(inputHeader: [String]) -> [String] {
        inputHeader + resultColumns
    }

    /// Appends one results row: the record's fields re-encoded (RFC 4180, formula-safe),
    /// the probability at full precision, decision, score and status.
    public static func appendRow(record: CSVRecord, outcome: RowOutcome, to buffer: inout [UInt8]) {
        for column in 0..<record.count {
            if column > 0 { CSVEncoder.appendDelimiter(to: &buffer) }
            record.withFieldBytes(column) { CSVEncoder.appendField(bytes: $0, to: &buffer) }
        }
        appendOutcome(outcome, to: &buffer)
    }

    /// Appends `,probability,decision,score,status` and the record end.
    public static func appendOutcome(_ outcome: RowOutcome, to buffer: inout [UInt8]) {
        CSVEncoder.appendDelimiter(to: &buffer)
        if let p = outcome.probability { CSVEncoder.appendNumber(p, to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(outcome.decision?.rawValue ?? "", to: &buffer)
        CSVEncoder.appendDelimiter(to: &buffer)
        if let score = outcome.score { CSVEncoder.appendField(String(score), to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(outcome.status, to: &buffer)
        CSVEncoder.appendRecordEnd(to: &buffer)
    }
}
