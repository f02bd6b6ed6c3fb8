import Foundation
import Testing

@testable import Scoring

/// Temporary files for reader tests, removed by the test that made them.
enum CSVTempFile {
    static func write(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-test-\(UUID().uuidString).csv")
        try data.write(to: url)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Builds a file where chosen bytes land exactly on the reader's chunk boundaries
/// (multiples of `CSVReader.chunkSize` for a regular file).
struct CSVBoundaryFile {
    var text = "key,value\n"
    /// Line on which the next record starts (the header is line 1).
    var nextLine = 2
    var expectedRows: [[String]] = []
    var expectedLines: [Int] = []

    /// Appends filler rows so the next byte is at `offset`.
    mutating func fill(to offset: Int) {
        while offset - text.utf8.count > 0 {
            let remaining = offset - text.utf8.count
            let length = remaining > 1_004 ? 1_000 : remaining
            precondition(length >= 4, "cannot fill \(remaining) bytes")
            let value = String(repeating: "f", count: length - 3)
            add(raw: "z,\(value)\n", fields: ["z", value])
        }
    }

    mutating func add(raw: String, fields: [String]) {
        expectedRows.append(fields)
        expectedLines.append(nextLine)
        text += raw
        var previous: UInt8 = 0
        for b in raw.utf8 {
            if b == 0x0D || (b == 0x0A && previous != 0x0D) { nextLine += 1 }
            previous = b
        }
    }
}

@Suite("CSV reader on files")
struct CSVReaderFileTests {
    @Test func chunkBoundariesInsideQuotesAndLineEnds() throws {
        let chunk = CSVReader.chunkSize
        var file = CSVBoundaryFile()
        // A quoted field with a CRLF and a doubled quote, cut by the first boundary.
        file.fill(to: chunk - 10)
        file.add(raw: "q1,\"hello\r\nwor\"\"ld, x\"\n", fields: ["q1", "hello\r\nwor\"ld, x"])
        // A CRLF whose CR is the last byte of the second chunk.
        file.fill(to: 2 * chunk - 7)
        file.add(raw: "r2,abc\r\n", fields: ["r2", "abc"])
        // The first quote of a doubled pair is the last byte of the third chunk.
        file.fill(to: 3 * chunk - 6)
        file.add(raw: "d3,\"x\"\"y\"\n", fields: ["d3", "x\"y"])
        // A closing quote is the last byte of the fourth chunk.
        file.fill(to: 4 * chunk - 8)
        file.add(raw: "c4,\"end\"\n", fields: ["c4", "end"])
        // A multi-byte character cut by the fifth boundary.
        file.fill(to: 5 * chunk - 4)
        file.add(raw: "u5,é🙂\n", fields: ["u5", "é🙂"])
        file.add(raw: "last,\"no newline\"", fields: ["last", "no newline"])

        let data = Data(file.text.utf8)
        #expect(data[2 * chunk - 1] == 0x0D && data[2 * chunk] == 0x0A)
        #expect(data[3 * chunk - 1] == 0x22 && data[3 * chunk] == 0x22)
        #expect(data[4 * chunk - 1] == 0x22 && data[4 * chunk] == 0x0A)
        let url = try CSVTempFile.write(data)
        defer { CSVTempFile.remove(url) }

        let table = try csvRead(CSVReader(url: url))
        #expect(table.header == ["key", "value"])
        #expect(table.rows.count == file.expectedRows.count)
        #expect(table.rows == file.expectedRows)
        #expect(table.lines == file.expectedLines)
    }

    @Test func recordLongerThanTheBufferGrowsIt() throws {
        let big = String(repeating: "0123456789\n\"\",", count: 60_000)  // ~840 KB in one field
        var text = "a,b\n1,\"\(big.replacingOccurrences(of: "\"", with: "\"\""))\"\n2,x\n"
        text += "3,y"
        let url = try CSVTempFile.write(Data(text.utf8))
        defer { CSVTempFile.remove(url) }
        let table = try csvRead(CSVReader(url: url))
        #expect(table.rows.map { $0[0] } == ["1", "2", "3"])
        #expect(table.rows[0][1] == big)
        #expect(table.lines == [2, 60_003, 60_004])
    }

    @Test func unterminatedQuoteInABigFileStopsAtTheFieldLimit() throws {
        var text = "a,b\n1,\"never closed\n"
        text += String(repeating: "2,plain row\n", count: 50_000)  // 600 KB, under the default limit
        let url = try CSVTempFile.write(Data(text.utf8))
        defer { CSVTempFile.remove(url) }
        let error = csvError { _ = try csvRead(CSVReader(url: url, options: CSVReaderOptions(maxFieldBytes: 100_000))) }
        #expect(error?.kind == .fieldTooLong(limit: 100_000))
        #expect(error?.line == 2)

        let unlimited = csvError { _ = try csvRead(CSVReader(url: url)) }
        #expect(unlimited?.kind == .unterminatedQuote)
        #expect(unlimited?.line == 2)
    }

    @Test func readsFromAPipeInSmallPieces() throws {
        var generator = SeededGenerator(seed: 11)
        var bytes: [UInt8] = []
        for row in CSVRandomCells.table(rows: 3_000...3_000, columns: 4...4, using: &generator) {
            CSVEncoder.appendRecord(row, to: &bytes)
        }
        let data = Data(bytes)
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        let thread = Thread {
            var offset = 0
            var sizes = SeededGenerator(seed: 3)
            while offset < data.count {
                let size = min(Int.random(in: 1...5_000, using: &sizes), data.count - offset)
                try? writer.write(contentsOf: data[offset..<(offset + size)])
                offset += size
            }
            try? writer.close()
        }
        thread.start()
        let fromPipe = try csvRead(CSVReader(fileHandle: pipe.fileHandleForReading))
        let fromMemory = try csvRead(CSVReader(data: data))
        #expect(fromPipe == fromMemory)
        #expect(fromPipe.rows.count == 2_999)
    }
}
