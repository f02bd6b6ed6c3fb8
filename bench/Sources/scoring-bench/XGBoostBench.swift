import ArgumentParser
import Foundation
import Scoring

/// Times `XGBoostModel` on rows already in memory, the figure compared with XGBoost's
/// `Booster.inplace_predict` on the same rows (bench/xgboost.sh), and counts the margins and
/// probabilities bit-identical to XGBoost's.
struct XGBoostBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "xgboost", abstract: "XGBoost evaluator speed and parity.")

    @Option var model: String
    @Option var input: String
    @Option(help: "XGBoost's margins and probabilities (row,margin,probability as float32 hex).") var expected: String?
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option var repeats = 5
    @Option(help: "Also time TreeSHAP contributions for this many rows (0: skip).") var contribRows = 0

    func run() throws {
        let loadStart = Date()
        let xgboost = try XGBoostModel(contentsOf: URL(fileURLWithPath: model))
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let matrix = try Self.matrix(input, model: xgboost)

        var times: [Double] = []
        var cpu: [Double] = []
        var margins: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = Self.cpuSeconds()
            margins = xgboost.rawScores(matrix, threads: threads)
            cpu.append(Self.cpuSeconds() - cpuStart)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        cpu.sort()
        var figures: [(String, String)] = [
            ("rows", String(matrix.rowCount)), ("threads", String(threads)),
            ("load_model_seconds", String(format: "%.3f", loadSeconds)),
            ("predict_seconds_min", String(format: "%.4f", times[0])),
            ("predict_seconds_median", String(format: "%.4f", times[times.count / 2])),
            ("predict_cpu_seconds_median", String(format: "%.4f", cpu[cpu.count / 2])),
        ]
        if let expected {
            let (margin, probability) = try Self.parity(margins, model: xgboost, expectedPath: expected)
            figures += [("bit_exact_margins", String(margin)), ("bit_exact_probabilities", String(probability))]
        }
        if contribRows > 0 {
            var subset = FeatureMatrix(featureCount: matrix.featureCount)
            for row in 0..<min(contribRows, matrix.rowCount) { subset.appendRow(matrix.row(row)) }
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try xgboost.contributions(subset, threads: threads)
            figures.append(("contrib_seconds", String(format: "%.3f", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)))
        }
        print("{" + figures.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    /// User + system seconds of the whole process so far (every thread): a busy machine
    /// slows the wall clock, much less the work done.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The workload's rows in the model's feature order: numbers as written, a categorical
    /// label as its position in the model's categories (NaN when absent or unknown).
    static func matrix(_ path: String, model: XGBoostModel) throws -> FeatureMatrix {
        let reader = try CSVReader(url: URL(fileURLWithPath: path))
        let header = try reader.readHeader()
        let columns = try model.featureNames.map { name in
            guard let column = header.firstIndex(of: name) else { throw ValidationError("no column \(name)") }
            return column
        }
        let codes = model.categoryLabels.mapValues { labels in
            Dictionary(labels.enumerated().map { ($0.element, Double($0.offset)) }, uniquingKeysWith: { first, _ in first })
        }
        var matrix = FeatureMatrix(featureCount: columns.count)
        var record = CSVRecord()
        var row = [Double](repeating: .nan, count: columns.count)
        while try reader.read(into: &record) {
            for (feature, column) in columns.enumerated() {
                let field = record[column]
                if let labels = codes[feature] {
                    row[feature] = field.isEmpty ? .nan : labels[field] ?? FeatureValue.unseenCategory
                } else {
                    row[feature] = Double(field) ?? .nan
                }
            }
            matrix.appendRow(row)
        }
        return matrix
    }

    static func parity(_ margins: [Double], model: XGBoostModel, expectedPath: String) throws -> (Int, Int) {
        let reader = try CSVReader(url: URL(fileURLWithPath: expectedPath))
        _ = try reader.readHeader()
        var record = CSVRecord()
        var row = 0
        var exactMargins = 0
        var exactProbabilities = 0
        while try reader.read(into: &record), row < margins.count {
            if UInt32(record[1], radix: 16) == Float(margins[row]).bitPattern { exactMargins += 1 }
            if UInt32(record[2], radix: 16) == Float(model.probability(rawScore: margins[row])).bitPattern { exactProbabilities += 1 }
            row += 1
        }
        return (exactMargins, exactProbabilities)
    }
}
