import ArgumentParser
import Foundation
import Scoring

/// Times exact TreeSHAP contributions on the first rows of a CSV and compares them with
/// LightGBM's `pred_contrib` for the same rows (raw float64 written by bench/contrib_reference.py).
struct ContribBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "contrib", abstract: "TreeSHAP speed and parity.")

    @Option(help: "A bundle folder or a model.txt.") var model: String
    @Option var input: String
    @Option(help: "Rows from the top of the file (0: all).") var rows = 0
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option var repeats = 3
    @Option(help: "LightGBM's pred_contrib for the same rows, raw little-endian float64.") var reference: String?
    @Option(help: "Also time BatchScorer.explain with this many reasons a row (0: skip).") var reasons = 0
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        let bundle = try ModelBundle(location: URL(fileURLWithPath: model))
        let scorer = BatchScorer(bundle: bundle)
        let reader = try CSVReader(url: URL(fileURLWithPath: input))
        let mapping = try ColumnMapping(header: try reader.readHeader(), schema: scorer.schema)
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while rows == 0 || records.count < rows, try reader.read(into: &record) { records.append(record) }
        let (matrix, issues) = scorer.encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        let width = bundle.model.featureCount + 1

        var times: [Double] = []
        var contributions: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            contributions = try bundle.model.contributions(matrix, threads: threads)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        var reasonTimes: [Double] = []
        if reasons > 0 {
            for _ in 0..<max(1, repeats) {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = scorer.explain(matrix, issues: issues, options: ExplainOptions(reasons: reasons), threads: threads)
                reasonTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            reasonTimes.sort()
        }

        // Additivity against the evaluator's own raw scores (before random-forest averaging).
        let raw = bundle.model.rawScores(matrix, threads: threads)
        let lightGBM = bundle.model as? LightGBMModel
        let scale = lightGBM.map { $0.averageOutput ? Double($0.trees.count) : 1 } ?? 1
        var additivity = 0.0
        for row in 0..<matrix.rowCount {
            let sum = contributions[row * width..<(row + 1) * width].reduce(0, +)
            additivity = max(additivity, abs(sum - raw[row] * scale))
        }
        var figures: [String: Any] = [
            "rows": matrix.rowCount, "features": width - 1, "trees": lightGBM?.trees.count ?? 0, "threads": threads,
            "seconds_min": times[0], "seconds_median": times[times.count / 2],
            "rows_per_second": Double(matrix.rowCount) / times[0], "max_additivity_error": additivity,
        ]
        if let fastest = reasonTimes.first { figures["with_reasons_seconds_min"] = fastest }
        if let reference {
            let data = try Data(contentsOf: URL(fileURLWithPath: reference))
            let theirs = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            guard theirs.count == contributions.count else {
                throw ValidationError("\(reference) has \(theirs.count) values; expected \(matrix.rowCount) rows × \(width).")
            }
            figures["max_abs_diff_vs_lightgbm"] = zip(theirs, contributions).map { abs($0 - $1) }.max() ?? 0
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for key in figures.keys.sorted() { print("\(key): \(figures[key] ?? "")") }
        }
    }
}
