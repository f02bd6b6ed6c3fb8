import Foundation
import Scoring
import Testing

/// `loanrisk score` on a file with a short and a long line: those rows are errors naming
/// their lines, the rest is scored, the exit status is 0 and the output keeps the header's width.
@Suite struct RaggedLineCommandTests {
    @Test func aShortOrLongLineIsThatRowsErrorAndTheRestIsScored() throws {
        let model = ScoreCommandTests.data.appendingPathComponent("models/lending-club").path
        let sample = ScoreCommandTests.data.appendingPathComponent("samples/lending-club-sample.csv")
        var lines = Array(try String(contentsOf: sample, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }.prefix(9))
        let width = lines[0].components(separatedBy: ",").count
        lines[2] = lines[2].components(separatedBy: ",").dropLast().joined(separator: ",")    // line 3
        lines[6] += ",1,2"                                                                     // line 7
        let run = try ScoreCommandTests.run(["score", "--model", model, "--input", "-"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("scored 6 of 8 rows; 2 invalid"))
        #expect(run.stderr.contains("Line 3 has \(width - 1) fields"))
        let (header, rows) = try ScoreCommandTests.readCSV(run.stdout)
        let status = try #require(header.firstIndex(of: "status"))
        #expect(rows.count == 8)
        #expect(rows.allSatisfy { $0.count == header.count })
        #expect(rows[1][status] == "error: Line 3 has \(width - 1) fields; the header has \(width) (a value or a delimiter is missing).")
        #expect(rows[5][status].hasPrefix("error: Line 7 has \(width + 2) fields; the header has \(width)"))
    }
}
