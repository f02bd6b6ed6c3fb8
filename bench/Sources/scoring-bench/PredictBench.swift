import ArgumentParser
import Foundation
import Scoring

/// Times the evaluator alone on rows already in memory, the figure compared with LightGBM's
/// `Booster.predict` on the same rows, and checks the probabilities against LightGBM's.
struct PredictBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Evaluator speed and parity.")

    @Option var model: String
    @Option var input: String
    @Option(help: "LightGBM's probabilities (row,probability) for parity.") var expected: String?
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option var repeats = 5
    @Option(help: "Also time TreeSHAP contributions for this many rows (0: skip).") var contribRows = 0
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        let loadStart = Date()
        let lightgbm = try LightGBMModel(contentsOf: URL(fileURLWithPath: model))
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let scorer = BatchScorer(bundle: ModelBundle(bareModel: lightgbm, name: "bench"))

        let readStart = Date()
        let (matrix, _) = try BenchInput.matrix(input, scorer: scorer)
        let readSeconds = Date().timeIntervalSince(readStart)

        var times: [Double] = []
        var probabilities: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            probabilities = lightgbm.probabilities(matrix, threads: threads)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let parity = try expected.map { try Self.parity(probabilities, expectedPath: $0) }
        var contribSeconds = -1.0
        if contribRows > 0 {
            var subset = FeatureMatrix(featureCount: matrix.featureCount)
            for row in 0..<min(contribRows, matrix.rowCount) { subset.appendRow(matrix.row(row)) }
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try lightgbm.contributions(subset, threads: threads)
            contribSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let figures: [String: Any] = [
            "contrib_rows": contribRows, "contrib_seconds": contribSeconds,
            "rows": matrix.rowCount, "trees": lightgbm.trees.count, "threads": threads,
            "load_model_seconds": loadSeconds, "read_and_encode_seconds": readSeconds,
            "predict_seconds_min": times[0], "predict_seconds_median": times[times.count / 2],
            "rows_per_second": Double(matrix.rowCount) / times[0],
            "bit_exact_rows": parity?.exact ?? -1, "max_abs_diff": parity?.maxDiff ?? -1,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for key in figures.keys.sorted() { print("\(key): \(figures[key] ?? "")") }
        }
    }

    static func parity(_ probabilities: [Double], expectedPath: String) throws -> (exact: Int, maxDiff: Double) {
        let reader = try CSVReader(url: URL(fileURLWithPath: expectedPath))
        let header = try reader.readHeader()
        guard let column = header.firstIndex(of: "probability") else { throw ValidationError("no probability column") }
        var record = CSVRecord()
        var row = 0
        var exact = 0
        var maxDiff = 0.0
        while try reader.read(into: &record), row < probabilities.count {
            let theirs = Double(record[column]) ?? .nan
            if theirs.bitPattern == probabilities[row].bitPattern { exact += 1 }
            maxDiff = max(maxDiff, abs(theirs - probabilities[row]))
            row += 1
        }
        return (exact, maxDiff)
    }
}
