/// The results CSV: every input column unchanged, then LoanRisk's columns, then (when asked
/// for) `reason_1` … `reason_N` and any extra numbers such as contributions. One encoder for
/// the CLI and the web download, so both give byte-identical files for the same input.
public enum ResultsCSV {
    public static let resultColumns = ["probability_of_default", "decision", "score", "status"]

    /// The results header: the input's header followed by `resultColumns`.
    public static func header(inputHeader: [String]) -> [String] {
        inputHeader + resultColumns
    }

    /// `reason_1` … `reason_<count>`: one column per principal reason, most important first.
    public static func reasonColumns(count: Int) -> [String] {
        count > 0 ? (1...count).map { "reason_\($0)" } : []
    }

    /// The results header with reasons: the input's header, `resultColumns`,
    /// `reasonColumns(count: reasonCount)`, then `extraColumns` (e.g. contributions).
    public static func header(inputHeader: [String], reasonCount: Int, extraColumns: [String] = []) -> [String] {
        inputHeader + resultColumns + reasonColumns(count: reasonCount) + extraColumns
    }

    /// Appends one results row: the record's fields re-encoded (RFC 4180, formula-safe),
    /// the probability at full precision, decision, score and status.
    public static func appendRow(record: CSVRecord, outcome: RowOutcome, to buffer: inout [UInt8]) {
        appendInput(record, to: &buffer)
        appendOutcome(outcome, to: &buffer)
    }

    /// As `appendRow`, followed by `extra` numbers at full precision (`extraCount` empty cells when nil).
    public static func appendRow(record: CSVRecord, outcome: RowOutcome, extra: ArraySlice<Double>?, extraCount: Int, to buffer: inout [UInt8]) {
        appendRow(record: record, outcome: outcome, reasons: nil, reasonCount: 0, extra: extra, extraCount: extraCount, to: &buffer)
    }

    /// One results row with reasons: as `appendRow`, then `reasonCount` cells holding the
    /// texts of `reasons` in order (empty past the last reason, and all empty when `reasons`
    /// is nil: an invalid row, or a model that cannot be explained), then `extraCount` extra
    /// numbers at full precision (empty cells when `extra` is nil). Matches
    /// `header(inputHeader:reasonCount:extraColumns:)`.
    public static func appendRow(
        record: CSVRecord, outcome: RowOutcome, reasons: [Reason]?, reasonCount: Int,
        extra: ArraySlice<Double>? = nil, extraCount: Int = 0, to buffer: inout [UInt8]
    ) {
        appendInput(record, to: &buffer)
        appendResultCells(
            probability: outcome.probability, decision: outcome.decision?.rawValue, score: outcome.score, status: outcome.status,
            to: &buffer)
        for i in 0..<max(0, reasonCount) {
            CSVEncoder.appendDelimiter(to: &buffer)
            if let reasons, i < reasons.count { CSVEncoder.appendField(reasons[i].text, to: &buffer) }
        }
        for i in 0..<max(0, extraCount) {
            CSVEncoder.appendDelimiter(to: &buffer)
            if let extra { CSVEncoder.appendNumber(extra[extra.startIndex + i], to: &buffer) }
        }
        CSVEncoder.appendRecordEnd(to: &buffer)
    }

    /// One results row whose reasons are the outcome's own (`outcome.explanation`, as
    /// `BatchScorer.score(… explain:)` gives them): `reasonCount` reason cells.
    public static func appendRow(record: CSVRecord, outcome: RowOutcome, reasonCount: Int, to buffer: inout [UInt8]) {
        appendRow(record: record, outcome: outcome, reasons: outcome.explanation?.reasons, reasonCount: reasonCount, to: &buffer)
    }

    /// Appends `,probability,decision,score,status` and the record end.
    public static func appendOutcome(_ outcome: RowOutcome, to buffer: inout [UInt8]) {
        appendResult(probability: outcome.probability, decision: outcome.decision?.rawValue, score: outcome.score,
                     status: outcome.status, to: &buffer)
    }

    /// The same from stored values (the web app keeps results, not outcomes).
    public static func appendResult(probability: Double?, decision: String?, score: Int?, status: String, to buffer: inout [UInt8]) {
        appendResultCells(probability: probability, decision: decision, score: score, status: status, to: &buffer)
        CSVEncoder.appendRecordEnd(to: &buffer)
    }

    /// The same from stored values with stored reason texts: `,probability,decision,score,status`,
    /// then `reasonCount` cells from `reasons` (empty past the last), and the record end.
    public static func appendResult(
        probability: Double?, decision: String?, score: Int?, status: String, reasons: [String], reasonCount: Int,
        to buffer: inout [UInt8]
    ) {
        appendResultCells(probability: probability, decision: decision, score: score, status: status, to: &buffer)
        for i in 0..<max(0, reasonCount) {
            CSVEncoder.appendDelimiter(to: &buffer)
            if i < reasons.count { CSVEncoder.appendField(reasons[i], to: &buffer) }
        }
        CSVEncoder.appendRecordEnd(to: &buffer)
    }

    /// Appends the record's fields (RFC 4180, formula-safe), without a record end.
    public static func appendInput(_ record: CSVRecord, to buffer: inout [UInt8]) {
        for column in 0..<record.count {
            if column > 0 { CSVEncoder.appendDelimiter(to: &buffer) }
            record.withFieldBytes(column) { CSVEncoder.appendField(bytes: $0, to: &buffer) }
        }
    }

    /// `,probability,decision,score,status` without a record end.
    private static func appendResultCells(probability: Double?, decision: String?, score: Int?, status: String, to buffer: inout [UInt8]) {
        CSVEncoder.appendDelimiter(to: &buffer)
        if let probability { CSVEncoder.appendNumber(probability, to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(decision ?? "", to: &buffer)
        CSVEncoder.appendDelimiter(to: &buffer)
        if let score { CSVEncoder.appendField(String(score), to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(status, to: &buffer)
    }
}
