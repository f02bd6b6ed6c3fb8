import ArgumentParser
import Foundation
import Scoring

/// Times `SklearnModel` on the wide workload (a 500-tree RandomForest pipeline exported by
/// bench/sklearn_reference.py) and checks its probabilities against scikit-learn's.
struct SklearnBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sklearn", abstract: "scikit-learn RandomForest speed and parity.")

    @Option var model: String
    @Option var input: String
    @Option(help: "scikit-learn's probabilities (row,probability) for parity.") var expected: String?
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option var repeats = 5

    func run() throws {
        let loadStart = Date()
        let sklearn = try SklearnModel(data: Data(contentsOf: URL(fileURLWithPath: model)))
        let loadSeconds = Date().timeIntervalSince(loadStart)

        let readStart = Date()
        let matrix = try Self.matrix(input, model: sklearn)
        let readSeconds = Date().timeIntervalSince(readStart)

        var times: [Double] = []
        var probabilities: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            probabilities = sklearn.probabilities(matrix, threads: threads)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        print("load_model_seconds: \(loadSeconds)")
        print("read_csv_seconds: \(readSeconds)")
        print("predict_seconds_min: \(times[0])")
        print("predict_seconds_median: \(times[times.count / 2])")
        print("rows: \(matrix.rowCount), threads: \(threads)")
        if let expected {
            let (_, rows) = try Self.readCSV(expected)
            var exact = 0
            var worst = 0.0
            for (index, row) in rows.enumerated() {
                let theirs = Double(row[1]) ?? .nan
                if theirs.bitPattern == probabilities[index].bitPattern { exact += 1 }
                worst = max(worst, abs(theirs - probabilities[index]))
            }
            print("bit_exact_rows: \(exact) of \(rows.count), max_abs_diff: \(worst)")
        }
    }

    /// The file's columns in the model's input order: numbers as read, category labels as
    /// their position in the model's labels (unlisted: unseen), empty fields missing.
    static func matrix(_ path: String, model: SklearnModel) throws -> FeatureMatrix {
        let (header, rows) = try readCSV(path)
        let columns = try model.featureNames.map { name in
            guard let column = header.firstIndex(of: name) else { throw ValidationError("\(path) has no column \(name)") }
            return column
        }
        var codes: [Int: [String: Int]] = [:]
        for (feature, labels) in model.categoryLabels {
            codes[feature] = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var matrix = FeatureMatrix(featureCount: model.featureCount)
        matrix.reserveRows(rows.count)
        var values = [Double](repeating: .nan, count: model.featureCount)
        for row in rows {
            for (feature, column) in columns.enumerated() {
                let field = row[column]
                if field.isEmpty {
                    values[feature] = .nan
                } else if let table = codes[feature] {
                    values[feature] = table[field].map(Double.init) ?? FeatureValue.unseenCategory
                } else {
                    values[feature] = Double(field) ?? .nan
                }
            }
            matrix.appendRow(values)
        }
        return matrix
    }

    static func readCSV(_ path: String) throws -> ([String], [[String]]) {
        let reader = try CSVReader(url: URL(fileURLWithPath: path))
        let header = try reader.readHeader()
        var record = CSVRecord()
        var rows: [[String]] = []
        while try reader.read(into: &record) { rows.append(record.fields) }
        return (header, rows)
    }
}
