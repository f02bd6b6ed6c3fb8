/// How a results file writes its rows: the standard CSV (`ResultsCSV`), the CSV in an
/// uploaded file's own dialect (`ResultsCSV.Dialect`), or a workbook's sheet rows (the
/// Workbook target). Whatever the format, the rows, their order and their columns are the
/// standard file's: the download builds them once and hands each cell to the format.
public protocol ResultsRows: Sendable {
    /// The header record, with its record end.
    func appendHeader(_ names: [String], to buffer: inout [UInt8])
    /// The record's fields as they were sent, without a record end.
    func appendInput(_ record: CSVRecord, to buffer: inout [UInt8])
    /// The result columns from stored values, `trailing` cells (the analyst's columns), and the record end.
    func appendResult(
        probability: Double?, decision: String?, score: Int?, status: String, modelVersion: String, trailing: [String],
        to buffer: inout [UInt8])
}

extension ResultsCSV {
    /// The standard results CSV: commas, decimal points, CRLF, byte for byte what `loanrisk score` writes.
    public struct Standard: ResultsRows {
        public init() {}

        public func appendHeader(_ names: [String], to buffer: inout [UInt8]) {
            CSVEncoder.appendRecord(names, to: &buffer)
        }

        public func appendInput(_ record: CSVRecord, to buffer: inout [UInt8]) {
            ResultsCSV.appendInput(record, to: &buffer)
        }

        public func appendResult(
            probability: Double?, decision: String?, score: Int?, status: String, modelVersion: String, trailing: [String],
            to buffer: inout [UInt8]
        ) {
            ResultsCSV.appendResult(
                probability: probability, decision: decision, score: score, status: status, modelVersion: modelVersion,
                trailing: trailing, to: &buffer)
        }
    }

    /// The results CSV in an uploaded file's own dialect — a European spreadsheet's semicolons
    /// and decimal commas (`0,0523`) — so it opens there as the upload did. The input columns
    /// are the cells as sent (already in that dialect); only LoanRisk's numbers are rewritten.
    public struct Dialect: ResultsRows {
        /// The field separator: the upload's (`;` or tab).
        public let delimiter: UInt8
        /// How the probability writes its fraction.
        public let decimalMark: DecimalMark

        public init(delimiter: UInt8, decimalMark: DecimalMark) {
            self.delimiter = delimiter
            self.decimalMark = decimalMark
        }

        public func appendHeader(_ names: [String], to buffer: inout [UInt8]) {
            for (index, name) in names.enumerated() {
                if index > 0 { buffer.append(delimiter) }
                append(name, to: &buffer)
            }
            CSVEncoder.appendRecordEnd(to: &buffer)
        }

        public func appendInput(_ record: CSVRecord, to buffer: inout [UInt8]) {
            for column in 0..<record.count {
                if column > 0 { buffer.append(delimiter) }
                record.withFieldBytes(column) { CSVEncoder.appendField(bytes: $0, delimiter: delimiter, to: &buffer) }
            }
        }

        public func appendResult(
            probability: Double?, decision: String?, score: Int?, status: String, modelVersion: String, trailing: [String],
            to buffer: inout [UInt8]
        ) {
            buffer.append(delimiter)
            if let probability {
                let start = buffer.count
                CSVEncoder.appendNumber(probability, to: &buffer)
                if decimalMark == .comma {
                    for i in start..<buffer.count where buffer[i] == CSVByte.dot { buffer[i] = CSVByte.comma }
                }
            }
            buffer.append(delimiter)
            append(decision ?? "", to: &buffer)
            buffer.append(delimiter)
            if let score { append(String(score), to: &buffer) }
            for cell in [status, modelVersion] + trailing {
                buffer.append(delimiter)
                append(cell, to: &buffer)
            }
            CSVEncoder.appendRecordEnd(to: &buffer)
        }

        private func append(_ field: String, to buffer: inout [UInt8]) {
            var copy = field
            copy.withUTF8 { CSVEncoder.appendField(bytes: $0, delimiter: delimiter, to: &buffer) }
        }
    }
}
