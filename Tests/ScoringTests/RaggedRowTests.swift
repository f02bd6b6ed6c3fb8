import Foundation
import Scoring
import Testing

/// A line with too few or too many fields, in a file of applicants, is that row's error,
/// named by its line with both counts, and every other row is scored.
@Suite struct RaggedRowTests {
    @Test func fittedRecordsSayWhatTheyHadAndKeepTheHeadersWidth() throws {
        let csv = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n\n10,11,12\n"
        let reader = CSVReader(data: Data(csv.utf8), options: .applicants)
        #expect(try reader.readHeader() == ["a", "b", "c"])
        var record = CSVRecord()
        var seen: [([String], CSVRecord.Misfit?, Int)] = []
        while try reader.read(into: &record) { seen.append((record.fields, record.misfit, record.line)) }
        #expect(seen.map(\.0) == [["1", "2", "3"], ["4", "5", ""], ["6", "7", "8"], ["", "", ""], ["10", "11", "12"]])
        #expect(seen.map(\.1) == [nil, .init(found: 2, expected: 3, blank: false), .init(found: 4, expected: 3, blank: false), .init(found: 1, expected: 3, blank: true), nil])
        #expect(seen.map(\.2) == [2, 3, 4, 5, 6])
        #expect(seen[1].1?.sentence(line: 3).hasPrefix("Line 3 has 2 fields; the header has 3") == true)
        #expect(seen[3].1?.sentence(line: 5) == "Line 5 is blank; the header has 3 fields.")
    }

    @Test func rejectingIsStillTheDefault() {
        let reader = CSVReader(data: Data("a,b\n1\n".utf8))
        var record = CSVRecord()
        #expect(throws: CSVError.self) {
            _ = try reader.readHeader()
            _ = try reader.read(into: &record)
        }
    }

    /// A long line is fitted whatever its length (more fields than the scanner's early stop
    /// would have allowed), and a quoted field with the delimiter still counts as one.
    @Test func longLinesAndQuotedDelimiters() throws {
        let csv = "a,b\n\"1,5\",2\n" + Array(repeating: "9", count: 40).joined(separator: ",") + "\n3,4\n"
        let reader = CSVReader(data: Data(csv.utf8), options: .applicants)
        _ = try reader.readHeader()
        var record = CSVRecord()
        var rows: [[String]] = []
        var misfits: [CSVRecord.Misfit?] = []
        while try reader.read(into: &record) { rows.append(record.fields); misfits.append(record.misfit) }
        #expect(rows == [["1,5", "2"], ["9", "9"], ["3", "4"]])
        #expect(misfits == [nil, .init(found: 40, expected: 2, blank: false), nil])
    }

    /// Through the scoring funnel: the misfit rows are invalid with the line named, the
    /// others score exactly as in a clean file.
    @Test func chunkedScoringMakesTheLineThatRowsError() throws {
        let bundle = try ModelBundle(directory: BundledModelTests.models.appendingPathComponent("lending-club"))
        let sample = BundledModelTests.models.deletingLastPathComponent().appendingPathComponent("samples/lending-club-sample.csv")
        var lines = try String(contentsOf: sample, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        let clean = lines.prefix(21).joined(separator: "\n") + "\n"
        let width = lines[0].components(separatedBy: ",").count
        // Line 4 loses its last field, line 8 gains two.
        lines[3] = lines[3].components(separatedBy: ",").dropLast().joined(separator: ",")
        lines[7] += ",x,y"
        let ragged = lines.prefix(21).joined(separator: "\n") + "\n"
        func outcomes(_ text: String) throws -> [RowOutcome] {
            let reader = CSVReader(data: Data(text.utf8), options: .applicants)
            let mapping = try ColumnMapping(header: try reader.readHeader(), schema: bundle.schema)
            var all: [RowOutcome] = []
            try ChunkedScoring(scorer: BatchScorer(bundle: bundle), threads: 2).run(
                reader: reader, mapping: mapping, transform: { $0.outcomes }, consume: { all += $0 })
            return all
        }
        let before = try outcomes(clean), after = try outcomes(ragged)
        #expect(after.count == 20)
        #expect(!after[2].isValid)
        #expect(after[2].status == "error: Line 4 has \(width - 1) fields; the header has \(width) (a value or a delimiter is missing).")
        #expect(!after[6].isValid)
        #expect(after[6].status.hasPrefix("error: Line 8 has \(width + 2) fields; the header has \(width)"))
        for row in 0..<20 where row != 2 && row != 6 {
            #expect(after[row] == before[row], "row \(row + 1)")
        }
    }
}
