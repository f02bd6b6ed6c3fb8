import Foundation
import Scoring
import Testing

/// `loanrisk score` with a shipped bundle's key inputs: a row without its interest rate that the
/// cut-offs approve is held for review and counted; a row of blanks is not scored.
@Suite struct KeyInputCommandTests {
    @Test func heldAndEmptyRowsAreMarkedAndCounted() throws {
        let sample = try String(contentsOf: ScoreCommandTests.data.appendingPathComponent("samples/lending-club-sample.csv"), encoding: .utf8)
        let (header, rows) = try ScoreCommandTests.readCSV(sample)
        let rate = try #require(header.firstIndex(of: "int_rate"))
        // LC-000069, the sample's first applicant, is approved (1.08 %) with her rate.
        var held = rows[0]
        held[0] = "HELD"
        held[rate] = ""
        let blank = ["BLANK"] + Array(repeating: "NA", count: header.count - 1)
        let text = ([header, rows[0], held, blank]).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let input = try ScoreCommandTests.temporaryFile("held.csv", text)
        let run = try ScoreCommandTests.run([
            "score", "--model", ScoreCommandTests.data.appendingPathComponent("models/lending-club").path, "--input", input.path, "--output", "-",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try ScoreCommandTests.readCSV(run.stdout)
        let decision = try #require(results.header.firstIndex(of: "decision"))
        let status = try #require(results.header.firstIndex(of: "status"))
        #expect(results.rows.map { $0[decision] } == ["approve", "review", ""])
        #expect(results.rows[1][status] == "warning: 'int_rate' was not provided: an applicant without it is never approved automatically.")
        #expect(results.rows[2][status].hasPrefix("error: Too few inputs to score: none of the 21 inputs has a usable value"))
        #expect(run.stderr.contains("scored 2 of 3 rows; 1 invalid, 1 with warnings, 1 held for review (a key input missing)"), "\(run.stderr)")
    }
}
