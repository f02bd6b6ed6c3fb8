import ArgumentParser
import Foundation
import Scoring

/// Benchmarks of the Scoring module; they print figures (see bench/README.md) and assert nothing.
@main
struct ScoringBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scoring-bench",
        subcommands: [PredictBench.self, XGBoostBench.self, SklearnBench.self, ContribBench.self, CSVReadBench.self, DriftBench.self, EncodeBench.self]
    )
}

struct CSVReadBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "csv", abstract: "Our CSV reader against CSV.swift.")
    @Option var input: String
    @Option var iterations = 5

    func run() throws { try runCSVBench(path: input, iterations: iterations) }
}
