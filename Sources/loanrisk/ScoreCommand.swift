import ArgumentParser
import Foundation
import Scoring

/// `loanrisk score`: scores a CSV of applicants, streaming, and writes the input's columns
/// followed by `probability_of_default`, `decision`, `score` and `status` for every row, then
/// optionally `reason_1` … `reason_N` and the contributions.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a CSV file of applicants.",
        discussion: """
            Rows with invalid values are kept, with an empty probability and an 'error: …' status; \
            the exit status is 0 whenever the file could be read. A file-level problem (missing \
            columns, malformed CSV) prints one line and exits with status 1.
            """
    )

    @Option(name: .long, help: "A model bundle directory or a model file (LightGBM model.txt, XGBoost .json/.ubj, a scikit-learn or scorecard export).")
    var model: String

    @Option(name: .long, help: "The applicants CSV, or - for standard input.")
    var input: String

    @Option(name: .long, help: "Where to write the results CSV, or - for standard output.")
    var output: String = "-"

    @Flag(name: .long, help: "Add contribution_<feature> columns and contribution_expected_value (exact TreeSHAP, raw log-odds).")
    var contributions = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Add reason_1 … reason_<N> columns: the N features that raised the risk most, in words (1 to \(ExplainOptions.maximumReasonCount)).",
            valueName: "N"))
    var reasons: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How the file writes decimals: point (6.49), comma (6,49, as European spreadsheets save a semicolon-separated file), or auto: decided once from the file's numeric columns.",
            valueName: "auto|point|comma"))
    var decimal: DecimalMark.Choice = .auto

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
        if let reasons, !(1...ExplainOptions.maximumReasonCount).contains(reasons) {
            throw ValidationError("--reasons must be between 1 and \(ExplainOptions.maximumReasonCount), not \(reasons).")
        }
    }

    func run() throws {
        do throws(CommandFailure) {
            let bundle: ModelBundle
            do {
                bundle = try ModelBundle(location: URL(fileURLWithPath: model))
            } catch {
                throw CommandFailure(message: "cannot load the model: \(error)")
            }
            let scorer = BatchScorer(bundle: bundle)
            var job = CSVScoringJob(scorer: scorer, threads: threads)
            job.contributions = contributions
            job.reasons = reasons ?? 0
            job.decimalMarks = decimal
            let summary = try job.run(input: input, output: output)
            FileHandle.standardError.write(Data("\(summary)\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("loanrisk: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// A file-level failure: one line on standard error and exit status 1.
struct CommandFailure: Error {
    let message: String
}

extension DecimalMark.Choice: ExpressibleByArgument {}
