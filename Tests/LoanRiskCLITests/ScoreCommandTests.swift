import Foundation
import Synchronization
import Scoring
import Testing

/// Runs the real `loanrisk` executable, as a user would.
@Suite struct ScoreCommandTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ScoringTests/Fixtures/golden")
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data")

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loanrisk")
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        if stdin != nil { process.standardInput = input }
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryFile(_ name: String, _ contents: String? = nil) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        if let contents { try Data(contents.utf8).write(to: url) }
        return url
    }

    static func readCSV(_ text: String) throws -> (header: [String], rows: [[String]]) {
        let reader = CSVReader(data: Data(text.utf8))
        let header = try reader.readHeader()
        var record = CSVRecord()
        var rows: [[String]] = []
        while try reader.read(into: &record) { rows.append(record.fields) }
        return (header, rows)
    }

    @Test(arguments: ["mixed_realistic", "categorical_pandas_many_levels", "numeric_missing_zero"])
    func scoresAFileExactlyAsTheLibraryDoes(_ name: String) throws {
        let model = Self.golden.appendingPathComponent("\(name)/model.txt")
        let input = Self.golden.appendingPathComponent("\(name)/input.csv")
        let output = try Self.temporaryFile("results.csv")
        let run = try Self.run(["score", "--model", model.path, "--input", input.path, "--output", output.path, "--threads", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try Self.readCSV(String(contentsOf: output, encoding: .utf8))
        let original = try Self.readCSV(String(contentsOf: input, encoding: .utf8))
        #expect(results.header == original.header + ResultsCSV.resultColumns)
        #expect(results.rows.count == original.rows.count)
        for (result, row) in zip(results.rows, original.rows) {
            #expect(Array(result.prefix(row.count)) == row)
        }
        // The library's numbers, the same way: every digit equal.
        let bundle = try ModelBundle(location: model)
        let reader = try CSVReader(url: input)
        let mapping = try ColumnMapping(header: try reader.readHeader(), schema: bundle.schema)
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        let outcomes = BatchScorer(bundle: bundle).score(records: records[...], mapping: mapping)
        let pColumn = try #require(results.header.firstIndex(of: "probability_of_default"))
        let dColumn = try #require(results.header.firstIndex(of: "decision"))
        for (result, outcome) in zip(results.rows, outcomes) {
            #expect(Double(result[pColumn]) == outcome.probability)
            #expect(result[dColumn] == (outcome.decision?.rawValue ?? ""))
        }
        // A row with fewer than half its inputs (the golden files' all-missing rows) is not scored, here as in the library.
        let scored = outcomes.filter(\.isValid).count
        #expect(outcomes.allSatisfy { $0.isValid || $0.status.contains("Too few inputs to score") })
        #expect(run.stderr.contains("scored \(scored) of \(outcomes.count) rows"))
    }

    @Test func invalidRowsAreReportedAndTheRestScored() throws {
        let model = Self.golden.appendingPathComponent("numeric_missing_none/model.txt")
        let names = try LightGBMModel(contentsOf: model).featureNames
        let good = names.map { _ in "1.5" }
        var bad = good
        bad[0] = "abc"
        let csv = ([names, good, bad, good].map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
        let run = try Self.run(["score", "--model", model.path, "--input", "-", "--output", "-"], stdin: csv)
        #expect(run.status == 0)
        let results = try Self.readCSV(run.stdout)
        let status = try #require(results.header.firstIndex(of: "status"))
        #expect(results.rows.map { $0[status] == "ok" || $0[status].hasPrefix("warning") } == [true, false, true])
        #expect(results.rows[1][status].contains("abc") && results.rows[1][status].contains(names[0]))
        #expect(run.stderr.contains("row 2"))
    }

    /// An output that is not a file (a named pipe here; `/dev/null` and terminals alike) is
    /// written to, not replaced: the results arrive through it and it is still a pipe after.
    @Test func anOutputThatIsNotAFileIsWrittenToNotReplaced() throws {
        let model = Self.golden.appendingPathComponent("mixed_realistic/model.txt")
        let input = Self.golden.appendingPathComponent("mixed_realistic/input.csv")
        let fifo = try Self.temporaryFile("results.pipe")
        try #require(mkfifo(fifo.path, 0o600) == 0)
        let received = Mutex<Data?>(nil)
        let reader = Thread {
            let data = FileHandle(forReadingAtPath: fifo.path)?.readDataToEndOfFile()
            received.withLock { $0 = data }
        }
        reader.start()
        let run = try Self.run(["score", "--model", model.path, "--input", input.path, "--output", fifo.path])
        #expect(run.status == 0, "\(run.stderr)")
        var waited = 0
        while received.withLock({ $0 }) == nil, waited < 100 {
            Thread.sleep(forTimeInterval: 0.05)
            waited += 1
        }
        let results = try Self.readCSV(String(decoding: try #require(received.withLock { $0 }), as: UTF8.self))
        let original = try Self.readCSV(String(contentsOf: input, encoding: .utf8))
        #expect(results.rows.count == original.rows.count)
        #expect(results.header == original.header + ResultsCSV.resultColumns)
        let type = try FileManager.default.attributesOfItem(atPath: fifo.path)[.type] as? FileAttributeType
        #expect(type != .typeRegular, "the pipe was replaced by a file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fifo.deletingLastPathComponent().path) == ["results.pipe"])
    }

    @Test func missingColumnsRejectTheFileAndLeaveNoOutput() throws {
        let model = Self.golden.appendingPathComponent("mixed_realistic/model.txt")
        let input = try Self.temporaryFile("in.csv", "foo,bar\n1,2\n")
        let output = input.deletingLastPathComponent().appendingPathComponent("out.csv")
        let run = try Self.run(["score", "--model", model.path, "--input", input.path, "--output", output.path])
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("missing") && run.stderr.contains("expected header"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: input.deletingLastPathComponent().path) == ["in.csv"])
    }

    @Test func malformedCSVNamesTheLine() throws {
        let model = Self.golden.appendingPathComponent("numeric_missing_none/model.txt")
        let names = try LightGBMModel(contentsOf: model).featureNames
        let row = names.map { _ in "1" }.joined(separator: ",")
        let csv = names.joined(separator: ",") + "\n" + row + "\n\"unterminated," + row + "\n"
        let run = try Self.run(["score", "--model", model.path, "--input", "-"], stdin: csv)
        #expect(run.status == 1)
        #expect(run.stderr.lowercased().contains("line 3"))
    }

    @Test func semicolonFilesAreDetected() throws {
        let model = Self.golden.appendingPathComponent("numeric_missing_none/model.txt")
        let names = try LightGBMModel(contentsOf: model).featureNames
        let csv = names.joined(separator: ";") + "\n" + names.map { _ in "2" }.joined(separator: ";") + "\n"
        let run = try Self.run(["score", "--model", model.path, "--input", "-"], stdin: csv)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.readCSV(run.stdout).rows.count == 1)
    }

    @Test func unsupportedModelIsOneLine() throws {
        let model = Self.golden.appendingPathComponent("unsupported_multiclass/model.txt")
        let run = try Self.run(["score", "--model", model.path, "--input", "-"], stdin: "a\n1\n")
        #expect(run.status == 1)
        #expect(run.stderr.contains("multiclass"))
    }

    @Test func contributionsMatchLightGBMsPredContrib() throws {
        let dir = Self.golden.appendingPathComponent("mixed_realistic")
        let run = try Self.run(["score", "--model", dir.appendingPathComponent("model.txt").path,
                                "--input", dir.appendingPathComponent("input.csv").path, "--contributions"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try Self.readCSV(run.stdout)
        let expected = try Self.readCSV(String(contentsOf: dir.appendingPathComponent("contrib.csv"), encoding: .utf8))
        let names = Array(expected.header.dropFirst())   // features…, expected_value
        let columns = try names.map { name in try #require(results.header.firstIndex(of: "contribution_" + name)) }
        #expect(results.rows.count == expected.rows.count)
        for (mine, theirs) in zip(results.rows, expected.rows) {
            for (k, column) in columns.enumerated() {
                let a = try #require(Double(mine[column]))
                let b = try #require(Double(theirs[k + 1]))
                #expect(abs(a - b) <= 1e-9)
            }
        }
    }

    @Test func contributionsAreRefusedForLinearModels() throws {
        let dir = Self.golden.appendingPathComponent("linear_tree")
        let run = try Self.run(["score", "--model", dir.appendingPathComponent("model.txt").path,
                                "--input", dir.appendingPathComponent("input.csv").path, "--contributions"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("linear"))
    }

    @Test func reasonsAddTheirColumnsAndAgreeWithTheLibrary() throws {
        let bundleURL = Self.data.appendingPathComponent("models/lending-club")
        let input = Self.data.appendingPathComponent("samples/lending-club-sample.csv")
        let run = try Self.run(["score", "--model", bundleURL.path, "--input", input.path, "--reasons", "3", "--threads", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try Self.readCSV(run.stdout)
        let original = try Self.readCSV(String(contentsOf: input, encoding: .utf8))
        #expect(results.header == original.header + ResultsCSV.resultColumns + ["reason_1", "reason_2", "reason_3"])
        #expect(results.rows.count == original.rows.count)

        // The library's reasons for the same rows, cell for cell.
        let bundle = try ModelBundle(directory: bundleURL)
        let reader = try CSVReader(url: input)
        let mapping = try ColumnMapping(header: try reader.readHeader(), schema: bundle.schema)
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        let scorer = BatchScorer(bundle: bundle)
        let (matrix, issues) = scorer.encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        let phi = try bundle.model.contributions(matrix, threads: 1)
        let width = bundle.model.featureCount + 1
        let first = try #require(results.header.firstIndex(of: "reason_1"))
        var nonEmpty = 0
        for (row, cells) in results.rows.enumerated() {
            let reasons = bundle.reasonWriter.reasons(
                contributions: phi[row * width..<(row + 1) * width - 1], features: matrix.row(row), issues: issues[row], limit: 3)
            let expected = (0..<3).map { $0 < reasons.count ? reasons[$0].text : "" }
            #expect(Array(cells[first..<first + 3]) == expected, "row \(row + 1)")
            nonEmpty += expected.filter { !$0.isEmpty }.count
        }
        #expect(nonEmpty > 2 * results.rows.count)
    }

    @Test func reasonsAndContributionsCombine() throws {
        let dir = Self.golden.appendingPathComponent("mixed_realistic")
        let run = try Self.run(["score", "--model", dir.appendingPathComponent("model.txt").path,
                                "--input", dir.appendingPathComponent("input.csv").path, "--reasons", "2", "--contributions"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try Self.readCSV(run.stdout)
        let original = try Self.readCSV(String(contentsOf: dir.appendingPathComponent("input.csv"), encoding: .utf8))
        let names = try LightGBMModel(contentsOf: dir.appendingPathComponent("model.txt")).featureNames
        #expect(results.header == original.header + ResultsCSV.resultColumns + ["reason_1", "reason_2"]
            + names.map { "contribution_" + $0 } + ["contribution_expected_value"])
        // Each reason names a feature whose contribution in the same row is positive.
        let reason = try #require(results.header.firstIndex(of: "reason_1"))
        for cells in results.rows where !cells[reason].isEmpty {
            // "feature of 3 …" for a number, "feature: label, …" for a category.
            let feature = try #require(names.first { cells[reason].hasPrefix($0 + " ") || cells[reason].hasPrefix($0 + ": ") }, "\(cells[reason])")
            let column = try #require(results.header.firstIndex(of: "contribution_" + feature))
            #expect(try #require(Double(cells[column])) > 0)
        }
    }

    @Test(arguments: ["0", "11", "-1", "many"])
    func badReasonCountsAreRefused(_ count: String) throws {
        let model = Self.golden.appendingPathComponent("mixed_realistic/model.txt")
        let run = try Self.run(["score", "--model", model.path, "--input", "-", "--reasons", count], stdin: "a\n1\n")
        #expect(run.status != 0)
        #expect(run.stderr.contains("--reasons"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        if count == "0" || count == "11" { #expect(run.stderr.contains("between 1 and 10")) }
    }

    @Test func reasonsAreRefusedForLinearModels() throws {
        let dir = Self.golden.appendingPathComponent("linear_tree")
        let run = try Self.run(["score", "--model", dir.appendingPathComponent("model.txt").path,
                                "--input", dir.appendingPathComponent("input.csv").path, "--reasons", "4"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--reasons") && run.stderr.contains("linear"))
    }
}

extension ScoreCommandTests {
    /// A European spreadsheet's file (semicolons, decimal commas) scores as the original does,
    /// and the summary says how its numbers were read; `--decimal point` reads them as errors.
    @Test func decimalCommasAreReadAndSaidSo() throws {
        let model = Self.data.appendingPathComponent("models/lending-club").path
        let sample = Self.data.appendingPathComponent("samples/lending-club-sample.csv")
        let lines = try String(contentsOf: sample, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        let header = lines[0].components(separatedBy: ",")
        let numeric = Set(["int_rate", "annual_inc", "revol_util"])
        let european = lines.enumerated().map { index, line -> String in
            let cells = line.components(separatedBy: ",")
            guard index > 0 else { return cells.joined(separator: ";") }
            return zip(header, cells).map { numeric.contains($0) ? $1.replacingOccurrences(of: ".", with: ",") : $1 }.joined(separator: ";")
        }.joined(separator: "\n") + "\n"
        let original = try Self.run(["score", "--model", model, "--input", sample.path])
        let auto = try Self.run(["score", "--model", model, "--input", "-"], stdin: european)
        #expect(auto.status == 0)
        #expect(auto.stderr.contains("numbers read with decimal commas"))
        // probability_of_default is the fifth cell from the end (then decision, score, status,
        // model_version); the input's cells before it may hold quoted commas.
        func probabilities(_ csv: String) -> [String] {
            csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { row in
                let cells = row.components(separatedBy: ",")
                return cells[cells.count - 5]
            }
        }
        #expect(probabilities(auto.stdout).first == "probability_of_default")
        #expect(probabilities(auto.stdout) == probabilities(original.stdout))
        let forced = try Self.run(["score", "--model", model, "--input", "-", "--decimal", "point"], stdin: european)
        #expect(forced.status == 0)
        #expect(forced.stderr.contains("scored 0 of"))
        let bad = try Self.run(["score", "--model", model, "--input", "-", "--decimal", "dot"], stdin: european)
        #expect(bad.status != 0)
    }
}
