import Foundation
import Testing

@testable import Scoring

/// Random CSV cells built to hit every quoting and neutralising rule.
enum CSVRandomCells {
    static let pieces = [
        "a", "b", "Z", "0", "7", ".", " ", ",", ",", "\"", "\"\"", "\n", "\r", "\r\n", ";", "\t",
        "=", "-", "+", "@", "'", "é", "日本", "🙂", "e", "\u{200B}", "x\u{FEFF}",
    ]
    static let whole = ["", "", "-5", "+3.25", "-1e-36", "=1+1", "-", "@x", "\"", "\r\n", "12", ",", "-inf"]

    static func cell(using generator: inout SeededGenerator) -> String {
        if Int.random(in: 0..<4, using: &generator) == 0 {
            return whole.randomElement(using: &generator) ?? ""
        }
        let count = Int.random(in: 0...8, using: &generator)
        return (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    static func table(rows: ClosedRange<Int>, columns: ClosedRange<Int>, using generator: inout SeededGenerator) -> [[String]] {
        let width = Int.random(in: columns, using: &generator)
        let height = Int.random(in: rows, using: &generator)
        return (0..<height).map { _ in (0..<width).map { _ in cell(using: &generator) } }
    }

    /// The text a reader gets back for `cell` after `CSVEncoder`: formula-like text gains
    /// the apostrophe, plain numbers do not. Written independently of the encoder's check.
    static func expectedAfterRoundTrip(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        let number = /[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/
        return cell.wholeMatch(of: number) == nil ? "'" + cell : cell
    }
}

@Suite("CSV properties")
struct CSVPropertyTests {
    @Test func randomTablesRoundTrip() throws {
        var generator = SeededGenerator(seed: 20_240_611)
        for tableIndex in 0..<400 {
            let table = CSVRandomCells.table(rows: 1...9, columns: 1...6, using: &generator)
            var bytes: [UInt8] = []
            for row in table { CSVEncoder.appendRecord(row, to: &bytes) }
            // One column cannot be told from semicolon- or tab-separated data by its header.
            let options = table[0].count == 1 ? CSVReaderOptions(delimiter: UInt8(ascii: ",")) : CSVReaderOptions()
            let read = try csvRead(CSVReader(data: Data(bytes), options: options))
            let expected = table.map { $0.map(CSVRandomCells.expectedAfterRoundTrip) }
            #expect([read.header] + read.rows == expected, "table \(tableIndex): \(table)")
        }
    }

    @Test func recordLinesCountPhysicalLines() throws {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<200 {
            let table = CSVRandomCells.table(rows: 2...8, columns: 2...4, using: &generator)
            var bytes: [UInt8] = []
            var expectedLines: [Int] = []
            var line = 1
            for (index, row) in table.enumerated() {
                if index > 0 { expectedLines.append(line) }
                let before = bytes.count
                CSVEncoder.appendRecord(row, to: &bytes)
                line += Self.lineEnds(in: bytes[before...])
            }
            let read = try csvRead(CSVReader(data: Data(bytes)))
            #expect(read.lines == expectedLines)
        }
    }

    @Test func streamingFromAFileMatchesReadingFromMemory() throws {
        var generator = SeededGenerator(seed: 5)
        var bytes: [UInt8] = []
        let header = ["a", "b", "c", "d", "e"]
        CSVEncoder.appendRecord(header, to: &bytes)
        var rows: [[String]] = []
        while bytes.count < 3 * CSVReader.chunkSize + 12_345 {
            var row = (0..<header.count).map { _ in CSVRandomCells.cell(using: &generator) }
            if Int.random(in: 0..<50, using: &generator) == 0 {
                row[1] = String(repeating: "long \"quoted\" text,\n", count: Int.random(in: 100...2_000, using: &generator))
            }
            rows.append(row)
            CSVEncoder.appendRecord(row, to: &bytes)
        }
        let url = try CSVTempFile.write(Data(bytes))
        defer { CSVTempFile.remove(url) }

        let fromFile = try csvRead(CSVReader(url: url))
        let fromMemory = try csvRead(CSVReader(data: Data(bytes)))
        #expect(fromFile == fromMemory)
        #expect(fromFile.rows == rows.map { $0.map(CSVRandomCells.expectedAfterRoundTrip) })
    }

    private static func lineEnds(in bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        var previous: UInt8 = 0
        for b in bytes {
            if b == 0x0D || (b == 0x0A && previous != 0x0D) { count += 1 }
            previous = b
        }
        return count
    }
}
