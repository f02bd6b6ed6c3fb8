import Foundation
import Scoring

/// The results as sheet rows: the same rows, order and columns as the results CSV, with
/// LoanRisk's probability and score as numbers, and each input cell as a number when it is
/// one as the upload wrote it (in its decimal mark), else as the text that was sent. Text is
/// never a formula in a workbook, so nothing needs neutralising.
public struct WorkbookResultsRows: ResultsRows {
    /// How the upload wrote its numbers.
    public let decimalMark: DecimalMark

    public init(decimalMark: DecimalMark) {
        self.decimalMark = decimalMark
    }

    public func appendHeader(_ names: [String], to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "<row>".utf8)
        for name in names { Self.appendText(name, to: &buffer) }
        buffer.append(contentsOf: "</row>".utf8)
    }

    public func appendInput(_ record: CSVRecord, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "<row>".utf8)
        for column in 0..<record.count {
            record.withFieldBytes(column) { bytes in
                if let number = Self.number(bytes, mark: decimalMark) {
                    Self.appendNumber(number, to: &buffer)
                } else {
                    Self.appendText(bytes, to: &buffer)
                }
            }
        }
    }

    public func appendResult(
        probability: Double?, decision: String?, score: Int?, status: String, modelVersion: String, trailing: [String],
        to buffer: inout [UInt8]
    ) {
        if let probability { Self.appendNumber(probability, to: &buffer) } else { Self.appendEmpty(to: &buffer) }
        Self.appendText(decision ?? "", to: &buffer)
        if let score { Self.appendValue(String(score), to: &buffer) } else { Self.appendEmpty(to: &buffer) }
        for cell in [status, modelVersion] + trailing { Self.appendText(cell, to: &buffer) }
        buffer.append(contentsOf: "</row>".utf8)
    }

    /// A cell's number, when the cell is plainly one: digits with at most a sign and one
    /// decimal mark, no leading zero before another digit (an id such as `00123` stays text),
    /// and at most 15 significant digits (more than a workbook keeps).
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, mark: DecimalMark) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 17 else { return nil }
        let point: UInt8 = mark == .comma ? 0x2C : 0x2E
        var i = 0
        if bytes[0] == 0x2D { i = 1 }
        guard i < bytes.count, bytes[i] != point else { return nil }
        if bytes[i] == 0x30, i + 1 < bytes.count, bytes[i + 1] != point { return nil }
        var digits = 0, points = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == point { points += 1 } else { return nil }
            i += 1
        }
        guard digits > 0, digits <= 15, points <= 1, bytes[bytes.count - 1] != point else { return nil }
        var text = String(decoding: bytes, as: UTF8.self)
        if mark == .comma { text = text.replacingOccurrences(of: ",", with: ".") }
        return Double(text)
    }

    static func appendNumber(_ value: Double, to buffer: inout [UInt8]) {
        guard value.isFinite else { return appendEmpty(to: &buffer) }
        appendValue("\(value)", to: &buffer)
    }

    /// A numeric cell whose text is already a number.
    static func appendValue(_ number: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "<c><v>".utf8)
        buffer.append(contentsOf: number.utf8)
        buffer.append(contentsOf: "</v></c>".utf8)
    }

    static func appendText(_ text: String, to buffer: inout [UInt8]) {
        guard !text.isEmpty else { return appendEmpty(to: &buffer) }
        buffer.append(contentsOf: "<c t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
        WorkbookWriter.appendEscaped(text, to: &buffer)
        buffer.append(contentsOf: "</t></is></c>".utf8)
    }

    /// A text cell straight from a record's bytes (valid UTF-8, the reader checked).
    static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        guard !bytes.isEmpty else { return appendEmpty(to: &buffer) }
        buffer.append(contentsOf: "<c t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
        WorkbookWriter.appendEscaped(bytes, to: &buffer)
        buffer.append(contentsOf: "</t></is></c>".utf8)
    }

    static func appendEmpty(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "<c/>".utf8)
    }
}
