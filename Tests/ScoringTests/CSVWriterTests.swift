import Foundation
import Testing

@testable import Scoring

/// What `CSVEncoder.appendField` writes for `field`, as a string.
func csvEncoded(_ field: String) -> String {
    var buffer: [UInt8] = []
    CSVEncoder.appendField(field, to: &buffer)
    return String(decoding: buffer, as: UTF8.self)
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func plainFieldsAreWrittenAsTheyAre() {
        #expect(csvEncoded("abc") == "abc")
        #expect(csvEncoded("") == "")
        #expect(csvEncoded("with space") == "with space")
        #expect(csvEncoded("naïve 日本 🙂") == "naïve 日本 🙂")
        #expect(csvEncoded("semi;colon") == "semi;colon")
        #expect(csvEncoded("it's") == "it's")
    }

    @Test func rfc4180Quoting() {
        #expect(csvEncoded("a,b") == #""a,b""#)
        #expect(csvEncoded(#"say "hi""#) == #""say ""hi""""#)
        #expect(csvEncoded(#"""#) == #""""""#)
        #expect(csvEncoded("two\nlines") == "\"two\nlines\"")
        #expect(csvEncoded("cr\rhere") == "\"cr\rhere\"")
        #expect(csvEncoded("crlf\r\n") == "\"crlf\r\n\"")
        #expect(csvEncoded(#"5" disk"#) == #""5"" disk""#)
    }

    @Test func formulaLikeTextIsNeutralised() {
        #expect(csvEncoded("=SUM(A1:A9)") == "'=SUM(A1:A9)")
        #expect(csvEncoded("+1+1") == "'+1+1")
        #expect(csvEncoded("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(csvEncoded("@SUM(1)") == "'@SUM(1)")
        #expect(csvEncoded("\t=1") == "'\t=1")
        #expect(csvEncoded("\r=1") == "\"'\r=1\"")
        #expect(csvEncoded("=HYPERLINK(\"http://x\",\"y\")") == #""'=HYPERLINK(""http://x"",""y"")""#)
        #expect(csvEncoded("=a,b") == #""'=a,b""#)
        #expect(csvEncoded("-") == "'-")
        #expect(csvEncoded("+") == "'+")
        #expect(csvEncoded("-inf") == "'-inf")
        #expect(csvEncoded("--5") == "'--5")
        #expect(csvEncoded("-5 ") == "'-5 ")
        #expect(csvEncoded("-1e") == "'-1e")
        #expect(csvEncoded("-1e+") == "'-1e+")
        #expect(csvEncoded("-.") == "'-.")
        #expect(csvEncoded("-1,5") == #""'-1,5""#)
        #expect(csvEncoded("-0x1F") == "'-0x1F")
        #expect(csvEncoded("+3.25.1") == "'+3.25.1")
    }

    @Test func plainNumbersStayNumbers() {
        for number in ["-5", "+3.25", "-1e-36", "-0.0", "+0", "-.5", "-5.", "+1E+10", "-12345678901234567890", "-1.5e300"] {
            #expect(csvEncoded(number) == number)
        }
        // Not starting with a formula character: never touched, number or not.
        #expect(csvEncoded("1e5") == "1e5")
        #expect(csvEncoded("0x1F") == "0x1F")
    }

    @Test func plainNumberCheckIsStrict() {
        func isNumber(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBufferPointer { CSVEncoder.isPlainNumber($0) }
        }
        for yes in ["0", "-5", "+3.25", "1.", ".5", "-1e-36", "2E10", "1e+3", "007"] {
            #expect(isNumber(yes), "\(yes)")
        }
        for no in ["", "-", "+", ".", "-.", "e5", "1e", "1e-", "1.2.3", "1,5", " 1", "1 ", "inf", "nan", "0x10", "1_000", "--1", "1e5.5", "١"] {
            #expect(!isNumber(no), "\(no)")
        }
    }

    @Test func numbersUseSwiftsShortestDigits() {
        let values: [Double] = [
            0, -0.0, 1, -5, 0.1, 0.3, 1.0 / 3, 123456.789, 1e-36, -1e-36, 1e20, 1e16, 1e15, .leastNonzeroMagnitude,
            .greatestFiniteMagnitude, -.leastNormalMagnitude, 2.5e-7, 0.000123,
        ]
        for value in values {
            var buffer: [UInt8] = []
            CSVEncoder.appendNumber(value, to: &buffer)
            #expect(String(decoding: buffer, as: UTF8.self) == "\(value)")
        }
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: UInt64.random(in: .min ... .max, using: &generator))
            guard value.isFinite else { continue }
            var buffer: [UInt8] = [UInt8(ascii: "x")]
            CSVEncoder.appendNumber(value, to: &buffer)
            #expect(String(decoding: buffer, as: UTF8.self) == "x\(value)")
            #expect(Double(String(decoding: buffer.dropFirst(), as: UTF8.self)) == value)
        }
    }

    @Test func nanIsAnEmptyFieldAndInfinitiesReadBack() {
        var buffer: [UInt8] = []
        CSVEncoder.appendNumber(.nan, to: &buffer)
        #expect(buffer.isEmpty)
        CSVEncoder.appendNumber(.infinity, to: &buffer)
        CSVEncoder.appendDelimiter(to: &buffer)
        CSVEncoder.appendNumber(-.infinity, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "inf,-inf")
        #expect(Double("inf") == .infinity && Double("-inf") == -.infinity)
    }

    @Test func recordsEndWithCRLF() {
        var buffer: [UInt8] = []
        CSVEncoder.appendRecord(["a", "b,c", "=x"], to: &buffer)
        CSVEncoder.appendRecord([""], to: &buffer)
        CSVEncoder.appendRecord(["", ""], to: &buffer)
        CSVEncoder.appendField(bytes: UnsafeBufferPointer(start: nil, count: 0), to: &buffer)
        CSVEncoder.appendRecordEnd(to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "a,\"b,c\",'=x\r\n\"\"\r\n,\r\n\r\n")
    }

    @Test func fieldFromBytesMatchesFieldFromString() {
        for text in ["plain", "a,b", "=1", "-5", "q\"q", ""] {
            var fromBytes: [UInt8] = []
            Array(text.utf8).withUnsafeBufferPointer { CSVEncoder.appendField(bytes: $0, to: &fromBytes) }
            #expect(String(decoding: fromBytes, as: UTF8.self) == csvEncoded(text))
        }
    }

    @Test func inMemoryWriterCollectsEverything() throws {
        let writer = CSVWriter()
        try writer.writeRecord(["id", "note"])
        var bytes: [UInt8] = []
        CSVEncoder.appendNumber(1, to: &bytes)
        CSVEncoder.appendDelimiter(to: &bytes)
        CSVEncoder.appendField("a \"b\"", to: &bytes)
        CSVEncoder.appendRecordEnd(to: &bytes)
        try writer.write(bytes: bytes)
        #expect(String(decoding: writer.data, as: UTF8.self) == "id,note\r\n1.0,\"a \"\"b\"\"\"\r\n")

        // Past the flush threshold the in-memory writer keeps everything, in order.
        let row = [String(repeating: "0123456789", count: 10), "note"]
        for _ in 0..<5_000 { try writer.writeRecord(row) }
        try writer.flush()
        let table = try csvRead(CSVReader(data: writer.data))
        #expect(table.header == ["id", "note"])
        #expect(table.rows.count == 5_001)
        #expect(table.rows[0] == ["1.0", "a \"b\""])
        #expect(table.rows.last == row)
    }

    @Test func fileWriterFlushesToDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-writer-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        let writer = CSVWriter(fileHandle: handle)
        try writer.writeRecord(["name", "formula"])
        var expected = "name,formula\r\n"
        for i in 0..<30_000 {
            try writer.writeRecord(["row \(i)", "=A\(i)"])
            expected += "row \(i),'=A\(i)\r\n"
        }
        #expect(writer.data.isEmpty)
        try writer.flush()
        try handle.close()
        let written = try Data(contentsOf: url)
        #expect(written.count > CSVWriter.flushThreshold)
        #expect(String(decoding: written, as: UTF8.self) == expected)
    }

    @Test func writeThenReadRoundTrip() throws {
        let rows = [
            ["id", "text", "value"],
            ["1", "hello, world", "-5"],
            ["2", "line1\r\nline2", "+3.25"],
            ["3", "\"quoted\"", ""],
            ["4", "", "-1e-36"],
        ]
        let writer = CSVWriter()
        for row in rows { try writer.writeRecord(row) }
        let table = try csvRead(CSVReader(data: writer.data))
        #expect([table.header] + table.rows == rows)
        #expect(table.lines == [2, 3, 5, 6])
    }
}
