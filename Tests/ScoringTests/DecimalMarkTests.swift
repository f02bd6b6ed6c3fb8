import Foundation
import Scoring
import Testing

/// Files saved by a European spreadsheet: semicolon-separated, decimal commas. The mark is
/// decided once per file from the numeric columns; a file that mixes marks is refused with
/// the columns named; the numbers read are the very doubles the decimal-point file gives.
@Suite struct DecimalMarkTests {
    static let sample = BundledModelTests.models.deletingLastPathComponent().appendingPathComponent("samples/lending-club-sample.csv")

    /// The sample re-saved as a European spreadsheet would: `;` between cells and a comma for
    /// every decimal point of a numeric column (labels and whole numbers unchanged).
    static func european(_ bundle: ModelBundle) throws -> (text: String, header: [String], rows: [[String]]) {
        let (header, rows) = try Fixtures.readCSV(sample)
        let numeric = Set(bundle.schema.features.filter { $0.kind != .categorical }.map(\.name))
        let converted = rows.map { row in
            zip(header, row).map { column, cell in numeric.contains(column) ? cell.replacingOccurrences(of: ".", with: ",") : cell }
        }
        let text = ([header] + converted).map { $0.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
        return (text, header, converted)
    }

    static func scoreAll(_ text: String, bundle: ModelBundle, choice: DecimalMark.Choice = .auto) throws -> (outcomes: [RowOutcome], mark: DecimalMark) {
        let reader = CSVReader(data: Data(text.utf8))
        let mapping = try ColumnMapping(header: try reader.readHeader(), schema: bundle.schema)
        var chunks = ChunkedScoring(scorer: BatchScorer(bundle: bundle), threads: 2)
        chunks.decimalMarks = choice
        chunks.chunkSize = 64
        var outcomes: [RowOutcome] = []
        let summary = try chunks.run(reader: reader, mapping: mapping, transform: { $0.outcomes }, consume: { outcomes += $0 })
        return (outcomes, summary.decimalMark)
    }

    @Test func aEuropeanFileScoresExactlyLikeTheOriginal() throws {
        let bundle = try ModelBundle(directory: BundledModelTests.models.appendingPathComponent("lending-club"))
        let original = try String(contentsOf: Self.sample, encoding: .utf8)
        let (european, _, rows) = try Self.european(bundle)
        #expect(rows.contains { row in row.contains { $0.contains(",") } })
        let (expected, pointMark) = try Self.scoreAll(original, bundle: bundle)
        let (got, mark) = try Self.scoreAll(european, bundle: bundle)
        #expect(pointMark == .point && mark == .comma)
        #expect(got.count == expected.count && got.count > 100)
        for (row, (a, b)) in zip(expected, got).enumerated() {
            #expect(a.probability?.bitPattern == b.probability?.bitPattern, "row \(row + 1)")
            #expect(a.issues.map(\.column) == b.issues.map(\.column), "row \(row + 1)")
        }
        // Told so, it reads the same; told the wrong mark, every decimal is an error that says what to write.
        #expect(try Self.scoreAll(european, bundle: bundle, choice: .comma).outcomes.map(\.probability) == got.map(\.probability))
        let wrong = try Self.scoreAll(european, bundle: bundle, choice: .point).outcomes
        #expect(wrong.allSatisfy { !$0.isValid })
        #expect(wrong.first?.status.contains("decimal point") == true)
    }

    @Test func aNumberWithTheOtherMarkIsAnErrorThatSaysHowTheFileIsRead() throws {
        let bundle = try ModelBundle(directory: BundledModelTests.models.appendingPathComponent("lending-club"))
        let encoder = FeatureEncoder(schema: bundle.schema, decimalMark: .comma)
        let rate = try #require(bundle.schema.features.firstIndex { $0.name == "int_rate" })
        #expect(encoder.encode("13,99", feature: rate).0 == 13.99)
        #expect(encoder.encode("-0,5", feature: rate).0 == -0.5)
        #expect(encoder.encode("14", feature: rate).0 == 14)
        let (value, issue) = encoder.encode("13.99", feature: rate)
        #expect(value.isNaN)
        #expect(issue?.message.contains("read with decimal commas") == true)
        // Thousands separators stay refused in either mode.
        #expect(encoder.encode("1.234,5", feature: rate).0.isNaN)
        #expect(FeatureEncoder(schema: bundle.schema).encode("1,234.5", feature: rate).0.isNaN)
    }

    @Test func columnsThatDisagreeAreNamedWithTheirRows() throws {
        let bundle = try ModelBundle(directory: BundledModelTests.models.appendingPathComponent("lending-club"))
        let (_, header, rows) = try Self.european(bundle)
        // int_rate written with points again from the third row on.
        let column = try #require(header.firstIndex(of: "int_rate"))
        var mixed = rows
        for i in 2..<mixed.count { mixed[i][column] = mixed[i][column].replacingOccurrences(of: ",", with: ".") }
        let text = ([header] + mixed).map { $0.joined(separator: ";") }.joined(separator: "\n")
        #expect {
            _ = try Self.scoreAll(text, bundle: bundle)
        } throws: { error in
            let message = (error as? InputFileError)?.message ?? ""
            return message.hasPrefix("The file mixes decimal marks: ") && message.contains("'annual_inc' (row 1: ")
                && message.contains("with decimal points") && message.contains("'int_rate' (row 3: '")
        }
    }

    @Test func commaSeparatedAndWholeNumberFilesUseDecimalPoints() throws {
        let bundle = try ModelBundle(directory: BundledModelTests.models.appendingPathComponent("lending-club"))
        let original = try String(contentsOf: Self.sample, encoding: .utf8)
        #expect(try Self.scoreAll(original, bundle: bundle).mark == .point)
        let (header, rows) = try Fixtures.readCSV(Self.sample)
        let wholeNumbers = ([header] + rows.map { row in row.map { $0.contains(".") ? String($0.prefix { $0 != "." }) : $0 } })
            .map { $0.joined(separator: ";") }.joined(separator: "\n")
        #expect(try Self.scoreAll(wholeNumbers, bundle: bundle).mark == .point)
    }
}
