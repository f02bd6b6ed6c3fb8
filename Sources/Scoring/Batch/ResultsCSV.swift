/// The results CSV: every input column unchanged, then LoanRisk's columns, then (when asked
/// for) `reason_1` … `reason_N` and `contribution_<feature>` … `contribution_expected_value`.
/// One encoder for the CLI, the web downloads and the API's CSV answer, so all give
/// byte-identical files for the same input.
public enum ResultsCSV {
    /// `model_version` names the exact version that scored the row, so a downloaded file
    /// can always be traced back to its model.
    public static let resultColumns = ["probability_of_default", "decision", "score", "status", "model_version"]

    /// The header: the input's, `resultColumns`, then the columns `explain` asks for
    /// (`featureNames`: the model's, for the contribution columns).
    public static func header(inputHeader: [String], explain: ExplainOptions = .none, featureNames: [String] = []) -> [String] {
        inputHeader + resultColumns + reasonColumns(count: explain.reasons)
            + (explain.contributions ? featureNames.map { "contribution_" + $0 } + ["contribution_expected_value"] : [])
    }

    /// `reason_1` … `reason_<count>`: one column per principal reason, most important first.
    public static func reasonColumns(count: Int) -> [String] {
        count > 0 ? (1...count).map { "reason_\($0)" } : []
    }

    /// Appends one row matching `header(inputHeader:explain:featureNames:)`: the record's
    /// fields re-encoded (RFC 4180, formula-safe), the probability at full precision,
    /// decision, score and status, then from `outcome.explanation` the reasons' sentences
    /// (empty cells past the last reason) and the contributions with the expected value at
    /// full precision (`featureCount + 1` cells, empty for an invalid row).
    public static func appendRow(
        record: CSVRecord, outcome: RowOutcome, modelVersion: String, explain: ExplainOptions = .none, featureCount: Int = 0,
        to buffer: inout [UInt8]
    ) {
        appendInput(record, to: &buffer)
        appendResultCells(
            probability: outcome.probability, decision: outcome.decision?.rawValue, score: outcome.score, status: outcome.status,
            modelVersion: modelVersion, to: &buffer)
        let explanation = outcome.explanation
        appendReasons(explanation?.reasons.map(\.text) ?? [], count: explain.reasons, to: &buffer)
        if explain.contributions {
            for i in 0...featureCount {
                CSVEncoder.appendDelimiter(to: &buffer)
                guard let explanation else { continue }
                let value = i < featureCount ? explanation.contributions[i] : explanation.expectedValue
                CSVEncoder.appendNumber(value, to: &buffer)
            }
        }
        CSVEncoder.appendRecordEnd(to: &buffer)
    }

    /// The columns a batch's download gains once an analyst has decided a review case.
    public static let analystColumns = ["analyst_decision", "analyst_note"]

    /// The result columns from stored values (the web app keeps results, not outcomes):
    /// `,probability,decision,score,status,model_version`, then `reasonCount` cells from `reasons` (empty
    /// past the last), then `trailing` cells (the analyst's columns), and the record end. Follows `appendInput`.
    public static func appendResult(
        probability: Double?, decision: String?, score: Int?, status: String, modelVersion: String, reasons: [String] = [],
        reasonCount: Int = 0, trailing: [String] = [], to buffer: inout [UInt8]
    ) {
        appendResultCells(probability: probability, decision: decision, score: score, status: status, modelVersion: modelVersion, to: &buffer)
        appendReasons(reasons, count: reasonCount, to: &buffer)
        for cell in trailing {
            CSVEncoder.appendDelimiter(to: &buffer)
            CSVEncoder.appendField(cell, to: &buffer)
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

    /// `,probability,decision,score,status,model_version` without a record end.
    private static func appendResultCells(
        probability: Double?, decision: String?, score: Int?, status: String, modelVersion: String, to buffer: inout [UInt8]
    ) {
        CSVEncoder.appendDelimiter(to: &buffer)
        if let probability { CSVEncoder.appendNumber(probability, to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(decision ?? "", to: &buffer)
        CSVEncoder.appendDelimiter(to: &buffer)
        if let score { CSVEncoder.appendField(String(score), to: &buffer) }
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(status, to: &buffer)
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendField(modelVersion, to: &buffer)
    }

    /// `count` cells: the sentences in order, empty past the last.
    private static func appendReasons(_ texts: [String], count: Int, to buffer: inout [UInt8]) {
        for i in 0..<max(0, count) {
            CSVEncoder.appendDelimiter(to: &buffer)
            if i < texts.count { CSVEncoder.appendField(texts[i], to: &buffer) }
        }
    }
}
