// Only the reader class: the CSV module also exports a deprecated `typealias CSV = CSVReader`,
// which would make `CSV.CSVReader` below name that type instead of the module.
import class CSV.CSVReader
import Foundation
import Scoring

/// Reads `path` with our reader and with CSV.swift, `iterations` times each, printing rows, fields, seconds (min/median) and MB/s for both.
///
/// For a fair comparison both readers turn every field into a `String` (ours through
/// `record[i]`); ours is also timed in byte mode (`withFieldBytes`, no strings), which is how
/// the scorer reads. Each pass sums the fields' UTF-8 lengths so no work can be optimised
/// away, and the passes must agree on rows and fields.
func runCSVBench(path: String, iterations: Int) throws {
    let url = URL(fileURLWithPath: path)
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    let runs = max(iterations, 1)
    print("CSV bench: \(path), \(String(format: "%.1f", Double(size) / 1_000_000)) MB, \(runs) iteration(s) each")

    let passes: [(name: String, read: () throws -> CSVBenchCount)] = [
        ("Scoring.CSVReader, String fields", { try CSVBenchPass.oursStrings(url) }),
        ("Scoring.CSVReader, byte fields", { try CSVBenchPass.oursBytes(url) }),
        ("CSV.swift 2.5 CSVReader, String fields", { try CSVBenchPass.csvSwift(path) }),
    ]
    var reference: CSVBenchCount?
    for pass in passes {
        var seconds: [Double] = []
        var count = CSVBenchCount()
        for _ in 0..<runs {
            let start = ContinuousClock.now
            count = try pass.read()
            seconds.append(CSVBenchPass.seconds(ContinuousClock.now - start))
        }
        if let reference, reference != count {
            throw CSVBenchError(
                "\(pass.name) read \(count.rows) rows, \(count.fields) fields, \(count.bytes) bytes; "
                    + "expected \(reference.rows), \(reference.fields), \(reference.bytes)")
        }
        reference = reference ?? count
        seconds.sort()
        let best = seconds[0]
        let median = seconds[seconds.count / 2]
        let throughput = Double(size) / 1_000_000 / best
        print(
            "\(pass.name.padding(toLength: 40, withPad: " ", startingAt: 0))  rows \(count.rows)  fields \(count.fields)  "
                + String(format: "min %.3f s  median %.3f s  %.0f MB/s", best, median, throughput))
    }
}

/// Rows, fields and total field bytes seen by one pass.
struct CSVBenchCount: Equatable {
    var rows = 0
    var fields = 0
    var bytes = 0
}

/// A benchmark that cannot run, with the reason.
struct CSVBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One timed pass over the file per reader and mode.
enum CSVBenchPass {
    static func oursStrings(_ url: URL) throws -> CSVBenchCount {
        let reader = try Scoring.CSVReader(url: url)
        var count = CSVBenchCount()
        count.fields = try reader.readHeader().count
        var record = CSVRecord()
        while try reader.read(into: &record) {
            for i in 0..<record.count {
                count.bytes &+= record[i].utf8.count
            }
            count.rows += 1
            count.fields += record.count
        }
        return count
    }

    static func oursBytes(_ url: URL) throws -> CSVBenchCount {
        let reader = try Scoring.CSVReader(url: url)
        var count = CSVBenchCount()
        count.fields = try reader.readHeader().count
        var record = CSVRecord()
        while try reader.read(into: &record) {
            for i in 0..<record.count {
                count.bytes &+= record.withFieldBytes(i) { $0.count }
            }
            count.rows += 1
            count.fields += record.count
        }
        return count
    }

    static func csvSwift(_ path: String) throws -> CSVBenchCount {
        guard let stream = InputStream(fileAtPath: path) else {
            throw CSVBenchError("CSV.swift: cannot open \(path)")
        }
        let reader = try CSV.CSVReader(stream: stream, hasHeaderRow: true)
        var count = CSVBenchCount()
        count.fields = reader.headerRow?.count ?? 0
        while let row = reader.next() {
            for field in row {
                count.bytes &+= field.utf8.count
            }
            count.rows += 1
            count.fields += row.count
        }
        // On Linux, InputStream.hasBytesAvailable stays true at end of file, so CSV.swift ends
        // every file with `cannotReadFile`; the row and field counts, checked against ours by
        // the caller, show whether everything was read.
        if let error = reader.error, "\(error)" != "cannotReadFile" {
            throw CSVBenchError("CSV.swift failed: \(error)")
        }
        return count
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
