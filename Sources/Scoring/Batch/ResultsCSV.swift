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
        appendInput(record, to: &buffer)
        appendOutcome(outcome, to: &buffer)
    }

    /// As `appendRow`, followed by `extra` numbers at full precision (`extraCount` empty cells when nil).
    public static func appendRow(record: CSVRecord, outcome: RowOutcome, extra: ArraySlice<Double>?, extraCount: Int, to buffer: inout [UInt8]) {
        appendRow(record: record, outcome: outcome, to: &buffer)
        buffer.removeLast(2)  // the record end, written again after the extra cells
        for i in 0..<extraCount {
            CSVEncoder.appendDelimiter(to: &buffer)
            if let extra { CSVEncoder.appendNumber(extra[extra.startIndex + i], to: &buffer) }
        }
        CSVEncoder.appendRecordEnd(to: &buffer)
    }

    /// Appends `,probability,decision,score,status` and the record end.
    public static func appendOutcome(_ outcome: RowOutcome, to buffer: inout [UInt8]) {
        appendResult(probability: outcome.probability, decision: outcome.decision?.rawValue, score: outcome.score,
                     status: outcome.status, to: &buffer)
    }

    /// The same from stored values (the web app keeps results, not outcomes).
    public static func appendResult(probability: Double?, decision: String?, score: Int?, status: String, to buffer: inout [UInt8]) {
        CSVEncoder.appendDelimiter(to: &buffer)
        if let probability { CSVEncoder.appendNumber(probability, to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(decision ?? "", to: &buffer)
        CSVEncoder.appendDelimiter(to: &buffer)
        if let score { CSVEncoder.appendField(String(score), to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(status, to: &buffer)
        CSVEncoder.appendRecordEnd(to: &buffer)
    }

    /// Appends the record's fields (RFC 4180, formula-safe), without a record end.
    public static func appendInput(_ record: CSVRecord, to buffer: inout [UInt8]) {
        for column in 0..<record.count {
            if column > 0 { CSVEncoder.appendDelimiter(to: &buffer) }
            record.withFieldBytes(column) { CSVEncoder.appendField(bytes: $0, to: &buffer) }
        }
    }
}
