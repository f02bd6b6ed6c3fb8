import Foundation
import Testing

@testable import Scoring

/// Everything a reader returned for one input, for comparing in one `#expect`.
struct CSVTestTable: Equatable {
    var header: [String]
    var rows: [[String]]
    var lines: [Int]
}

func csvRead(_ text: String, options: CSVReaderOptions = .init()) throws -> CSVTestTable {
    try csvRead(CSVReader(data: Data(text.utf8), options: options))
}

func csvRead(_ reader: CSVReader) throws -> CSVTestTable {
    let header = try reader.readHeader()
    var record = CSVRecord()
    var table = CSVTestTable(header: header, rows: [], lines: [])
    while try reader.read(into: &record) {
        table.rows.append(record.fields)
        table.lines.append(record.line)
    }
    return table
}

/// The `CSVError` thrown by `body`, or nil (recording an issue) when it throws nothing or something else.
func csvError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> CSVError? {
    do {
        try body()
        Issue.record("expected a CSVError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as CSVError {
        return error
    } catch {
        Issue.record("expected a CSVError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func readsHeaderAndRecordsWithLineNumbers() throws {
        let table = try csvRead("id,name,score\n1,Ann,0.5\n2,Bob,-3\n")
        #expect(table.header == ["id", "name", "score"])
        #expect(table.rows == [["1", "Ann", "0.5"], ["2", "Bob", "-3"]])
        #expect(table.lines == [2, 3])
    }

    @Test func crlfAndLfGiveTheSameRecords() throws {
        let lf = try csvRead("a,b\n1,2\n\"x\",y\n")
        let crlf = try csvRead("a,b\r\n1,2\r\n\"x\",y\r\n")
        let cr = try csvRead("a,b\r1,2\r\"x\",y\r")
        #expect(lf == crlf)
        #expect(lf == cr)
        #expect(lf.rows == [["1", "2"], ["x", "y"]])
        #expect(lf.lines == [2, 3])
    }

    @Test func finalRecordWithoutLineEnd() throws {
        #expect(try csvRead("a,b\n1,2").rows == [["1", "2"]])
        #expect(try csvRead("a,b\n1,\"2\"").rows == [["1", "2"]])
        #expect(try csvRead("a,b\n1,").rows == [["1", ""]])
        #expect(try csvRead("a,b\r\n1,2\r").rows == [["1", "2"]])
    }

    @Test func blankLinesAtTheEndAreIgnored() throws {
        #expect(try csvRead("a,b\n1,2\n\n\n").rows == [["1", "2"]])
        #expect(try csvRead("a,b\r\n1,2\r\n\r\n\r\n").rows == [["1", "2"]])
        #expect(try csvRead("a,b\n1,2\n\r\n\n").rows == [["1", "2"]])
        #expect(try csvRead("a,b\n\n\n").rows == [])
    }

    @Test func blankLinesBeforeTheHeaderAreSkipped() throws {
        let table = try csvRead("\n\r\na,b\n1,2\n")
        #expect(table.header == ["a", "b"])
        #expect(table.lines == [4])
    }

    @Test func blankLineInsideAMultiColumnFileIsARaggedRow() {
        let error = csvError { _ = try csvRead("a,b\n1,2\n\n3,4\n") }
        #expect(error?.kind == .raggedRow(expected: 2, found: 1))
        #expect(error?.line == 3)
        #expect(error?.message.contains("blank") == true)
    }

    @Test func singleColumnKeepsBlankValuesBetweenRecords() throws {
        let table = try csvRead("name\nAnn\n\n\nBob\n\n")
        #expect(table.header == ["name"])
        #expect(table.rows == [["Ann"], [""], [""], ["Bob"]])
        #expect(table.lines == [2, 3, 4, 5])
    }

    @Test func byteOrderMarkIsTrimmed() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(contentsOf: Array("id;name\r\n1;Ann\r\n".utf8))
        let table = try csvRead(CSVReader(data: data))
        #expect(table.header == ["id", "name"])
        #expect(table.rows == [["1", "Ann"]])
    }

    @Test func quotedFieldsAreUnescaped() throws {
        let lines = ["a,b,c", "\"x, y\",\"say \"\"hi\"\"\",\"\"\"\"", "\"\",5\" disk,\"end\""]
        let table = try csvRead(lines.joined(separator: "\n") + "\n")
        #expect(table.rows == [["x, y", #"say "hi""#, #"""#], ["", #"5" disk"#, "end"]])
    }

    @Test func quotedNewlinesKeepLaterLineNumbersRight() throws {
        let text = "id,note\n1,\"two\nlines\"\n2,\"three\r\nlines\r\nhere\"\n3,plain\n4,\"cr\ronly\"\n5,x\n"
        let table = try csvRead(text)
        #expect(table.rows.map { $0[1] } == ["two\nlines", "three\r\nlines\r\nhere", "plain", "cr\ronly", "x"])
        #expect(table.lines == [2, 4, 7, 8, 10])
    }

    @Test func recordGivesBytesAndStrings() throws {
        let reader = CSVReader(data: Data("a,b,c\n\"é\"\"\",,z\n".utf8))
        _ = try reader.readHeader()
        var record = CSVRecord()
        #expect(try reader.read(into: &record))
        #expect(record.count == 3)
        #expect(record.line == 2)
        #expect(record[0] == "é\"")
        #expect(record.withFieldBytes(0) { Array($0) } == Array("é\"".utf8))
        #expect(record.withFieldBytes(1) { $0.count } == 0)
        #expect(record.fields == ["é\"", "", "z"])
        #expect(try !reader.read(into: &record))
    }

    @Test func readingWithoutHeaderTakesTheFirstRecordAsData() throws {
        let reader = CSVReader(data: Data("1,2\n3,4\n5\n".utf8))
        var record = CSVRecord()
        #expect(try reader.read(into: &record))
        #expect(record.fields == ["1", "2"])
        #expect(try reader.read(into: &record))
        let error = csvError { _ = try reader.read(into: &record) }
        #expect(error?.kind == .raggedRow(expected: 2, found: 1))
        #expect(error?.line == 3)

        let empty = CSVReader(data: Data())
        #expect(try !empty.read(into: &record))
    }

    @Test func readHeaderTwiceReturnsTheSameHeader() throws {
        let reader = CSVReader(data: Data("a,b\n1,2\n".utf8))
        #expect(try reader.readHeader() == ["a", "b"])
        #expect(try reader.readHeader() == ["a", "b"])
        var record = CSVRecord()
        #expect(try reader.read(into: &record))
        #expect(record.fields == ["1", "2"])
    }

    // MARK: Delimiter

    @Test func detectsSemicolonAndKeepsDecimalCommas() throws {
        let reader = CSVReader(data: Data("id;amount;\"note; with semicolon\"\n1;3,5;x\n".utf8))
        let table = try csvRead(reader)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(table.header == ["id", "amount", "note; with semicolon"])
        #expect(table.rows == [["1", "3,5", "x"]])
    }

    @Test func detectsTab() throws {
        let reader = CSVReader(data: Data("id\tname\tnote\n1\tAnn\ta, b; c\n".utf8))
        let table = try csvRead(reader)
        #expect(reader.delimiter == UInt8(ascii: "\t"))
        #expect(table.rows == [["1", "Ann", "a, b; c"]])
    }

    @Test func commaWinsWhenOutsideQuotes() throws {
        let reader = CSVReader(data: Data("\"a;b\",\"c\td\"\n1,2\n".utf8))
        let table = try csvRead(reader)
        #expect(reader.delimiter == UInt8(ascii: ","))
        #expect(table.header == ["a;b", "c\td"])
    }

    @Test func commasInsideQuotesDoNotCount() throws {
        let reader = CSVReader(data: Data("\"last, first\";age\n\"Doe, J\";42\n".utf8))
        let table = try csvRead(reader)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(table.rows == [["Doe, J", "42"]])
    }

    @Test func moreTabsThanSemicolonsMeansTab() throws {
        let reader = CSVReader(data: Data("a;b\tc\td\n1;2\t3\t4\n".utf8))
        let table = try csvRead(reader)
        #expect(reader.delimiter == UInt8(ascii: "\t"))
        #expect(table.rows == [["1;2", "3", "4"]])
    }

    @Test func singleColumnUsesComma() throws {
        let reader = CSVReader(data: Data("score\n0.5\n".utf8))
        let table = try csvRead(reader)
        #expect(reader.delimiter == UInt8(ascii: ","))
        #expect(table.rows == [["0.5"]])
    }

    @Test func explicitDelimiterOverridesDetection() throws {
        let table = try csvRead("a,b|c\n1,2|3\n", options: CSVReaderOptions(delimiter: UInt8(ascii: "|")))
        #expect(table.header == ["a,b", "c"])
        #expect(table.rows == [["1,2", "3"]])
    }

    // MARK: Errors

    @Test func invalidUTF8NamesTheLineAndTheFix() {
        var data = Data("name,city\nAnn,Paris\nBob,".utf8)
        data.append(contentsOf: [0x4D, 0xE9, 0x78])  // "Méx" in Latin-1
        data.append(contentsOf: Array("\n".utf8))
        let error = csvError { _ = try csvRead(CSVReader(data: data)) }
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix("Line 3:") == true)
        #expect(error?.message.contains("CSV UTF-8") == true)
        #expect(error?.message.contains("field 2") == true)
    }

    @Test func invalidUTF8InsideAMultiLineFieldNamesItsOwnLine() {
        var data = Data("a,b\n1,\"first\nsecond\r\nthird ".utf8)
        data.append(0xFF)
        data.append(contentsOf: Array("\"\n".utf8))
        let error = csvError { _ = try csvRead(CSVReader(data: data)) }
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.line == 4)
    }

    @Test func invalidUTF8InTheHeader() {
        let error = csvError { _ = try CSVReader(data: Data([0x61, 0x2C, 0xC3, 0x28, 0x0A])).readHeader() }
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.line == 1)
    }

    @Test func unterminatedQuoteNamesTheLineWhereItStarted() {
        let error = csvError { _ = try csvRead("a,b\n1,2\n3,\"open\n4,5\n6,7\n") }
        #expect(error?.kind == .unterminatedQuote)
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix("Line 3:") == true)
    }

    @Test func raggedRowsSayExpectedAndFound() {
        let fewer = csvError { _ = try csvRead("a,b,c\n1,2,3\n4,5\n") }
        #expect(fewer?.kind == .raggedRow(expected: 3, found: 2))
        #expect(fewer?.line == 3)
        #expect(fewer?.message.hasPrefix("Line 3: row has 2 fields but the header has 3.") == true)

        let more = csvError { _ = try csvRead("a,b\n1,\"x\ny\"\n1,2,3\n") }
        #expect(more?.kind == .raggedRow(expected: 2, found: 3))
        #expect(more?.line == 4)
    }

    @Test func fieldLongerThanTheLimit() throws {
        let options = CSVReaderOptions(maxFieldBytes: 5)
        let unquoted = csvError { _ = try csvRead("a,b\n1,12345\n2,123456\n", options: options) }
        #expect(unquoted?.kind == .fieldTooLong(limit: 5))
        #expect(unquoted?.line == 3)

        let quoted = csvError { _ = try csvRead("a,b\n1,\"12\n34\"\n2,\"12\n345\"\n", options: options) }
        #expect(quoted?.kind == .fieldTooLong(limit: 5))
        #expect(quoted?.line == 4)

        // Doubled quotes count once: `a""b""c` unescapes to 5 bytes.
        #expect(try csvRead("a\n\"a\"\"b\"\"c\"\n", options: options).rows == [["a\"b\"c"]])
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        let error = csvError { _ = try csvRead("a,b\n1,2\n\"ab\"c,3\n") }
        #expect(error?.kind == .unexpectedQuote)
        #expect(error?.line == 3)
        #expect(error?.message.contains("'c'") == true)
    }

    @Test func emptyInputs() {
        for text in ["", "\n", "\r\n\r\n", "\u{FEFF}", "\u{FEFF}\n"] {
            let error = csvError { _ = try CSVReader(data: Data(text.utf8)).readHeader() }
            #expect(error?.kind == .empty, "input \(Array(text.utf8))")
            #expect(error?.line == 1)
        }
    }

    @Test func errorsAreSticky() {
        let reader = CSVReader(data: Data("a,b\n1\n2,3\n".utf8))
        var record = CSVRecord()
        let first = csvError {
            _ = try reader.readHeader()
            _ = try reader.read(into: &record)
        }
        let second = csvError { _ = try reader.read(into: &record) }
        #expect(first != nil)
        #expect(first == second)
    }

    @Test func missingFileIsAnIOError() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).csv")
        let error = csvError { _ = try CSVReader(url: url) }
        #expect(error?.kind == .io)
        #expect(error?.message.contains(url.lastPathComponent) == true)
    }

    // MARK: UTF-8 validation

    @Test func utf8ValidatorAgreesWithTheStandardLibrary() {
        var generator = SeededGenerator(seed: 7)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &generator)
                    ? interesting.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
            }
            let ours = bytes.withUnsafeBufferPointer { CSVUTF8.firstInvalidByte(in: $0) }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((ours == nil) == valid, "bytes \(bytes)")
            if let ours {
                #expect(String(validating: bytes[..<ours], as: UTF8.self) != nil)
            }
        }
        // Long ASCII runs go through the eight-byte fast path.
        let long = Array(repeating: UInt8(ascii: "a"), count: 37) + [0xE2, 0x82, 0xAC] + Array(repeating: 0x62, count: 9)
        #expect(long.withUnsafeBufferPointer { CSVUTF8.firstInvalidByte(in: $0) } == nil)
        let bad = Array(repeating: UInt8(ascii: "a"), count: 37) + [0xE2, 0x82] + Array(repeating: 0x62, count: 9)
        #expect(bad.withUnsafeBufferPointer { CSVUTF8.firstInvalidByte(in: $0) } == 37)
    }
}
