import ArgumentParser
import Foundation
import Scoring

/// Times reading a file's cells through a bundle's schema (`BatchScorer.encode`: numbers,
/// categories, ranges; no model), the byte-level path every channel takes. For the lending-club
/// bundle, whose categorical inputs can be named by code or by the form's words
/// (`bash bench/encode.sh` makes such files and runs this on each).
struct EncodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encode", abstract: "Cell reading speed through a bundle's schema.")

    @Option(help: "A bundle folder (model.txt and bundle.json).") var bundle: String
    @Option(help: "The CSV to read.") var input: String
    @Option var repeats = 7

    func run() throws {
        let scorer = BatchScorer(bundle: try ModelBundle(directory: URL(fileURLWithPath: bundle)))
        let reader = try CSVReader(url: URL(fileURLWithPath: input))
        let mapping = try ColumnMapping(header: try reader.readHeader(), schema: scorer.schema)
        var records: [CSVRecord] = []
        var record = CSVRecord()
        while try reader.read(into: &record) { records.append(record) }
        var times: [Double] = []
        var issues = 0
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            let (_, found) = scorer.encode(rowCount: records.count) { row, feature, body in
                records[row].withFieldBytes(mapping.featureColumns[feature], body)
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            issues = found.reduce(0) { $0 + $1.count }
        }
        times.sort()
        let cells = Double(records.count * scorer.schema.features.count)
        print("encode \(records.count) rows × \(scorer.schema.features.count) inputs: best \(String(format: "%.4f", times[0])) s, "
              + "median \(String(format: "%.4f", times[times.count / 2])) s, \(String(format: "%.1f", times[times.count / 2] / cells * 1e9)) ns a cell; \(issues) issues")
    }
}
