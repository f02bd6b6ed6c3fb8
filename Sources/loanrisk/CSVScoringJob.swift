import Foundation
import Scoring

/// Streams a CSV through a `BatchScorer`: reads a chunk of records, scores and encodes it on
/// all workers, writes it, and goes on, so memory stays bounded whatever the file size.
struct CSVScoringJob {
    let scorer: BatchScorer
    let threads: Int
    struct Summary: CustomStringConvertible {
        var rows = 0
        var invalid = 0
        var warnings = 0
        var firstError: String?

        var description: String {
            var text = "scored \(rows - invalid) of \(rows) rows; \(invalid) invalid, \(warnings) with warnings"
            if let firstError { text += " (first invalid: \(firstError))" }
            return text
        }
    }

    func run(input: String, output: String) throws(CommandFailure) -> Summary {
        let reader: CSVReader
        do {
            reader = input == "-" ? CSVReader(fileHandle: .standardInput) : try CSVReader(url: URL(fileURLWithPath: input))
        } catch {
            throw CommandFailure(message: "cannot open \(input): \(error)")
        }
        let sink = try OutputSink(path: output)
        do {
            let summary = try score(reader: reader, into: sink.writer)
            try sink.commit()
            return summary
        } catch let error as CommandFailure {
            throw error
        } catch let error as CSVError {
            sink.discard()
            throw CommandFailure(message: "\(input): \(error.message)")
        } catch let error as InputFileError {
            sink.discard()
            throw CommandFailure(message: "\(input): \(error.message)")
        } catch {
            sink.discard()
            throw CommandFailure(message: "\(error)")
        }
    }

    private func score(reader: CSVReader, into writer: CSVWriter) throws -> Summary {
        let header = try reader.readHeader()
        let mapping = try ColumnMapping(header: header, schema: scorer.schema)
        try writer.writeRecord(ResultsCSV.header(inputHeader: header))
        var summary = Summary()
        summary.rows = try ChunkedScoring(scorer: scorer, threads: threads).run(
            reader: reader, mapping: mapping,
            transform: { first, records, outcomes in Self.encode(firstIndex: first, records: records, outcomes: outcomes) },
            consume: { part in
                try writer.write(bytes: part.bytes)
                summary.invalid += part.invalid
                summary.warnings += part.warnings
                if summary.firstError == nil, let (index, message) = part.firstError {
                    summary.firstError = "row \(index + 1): \(message)"
                }
            })
        try writer.flush()
        return summary
    }

    private struct EncodedPart: Sendable {
        var bytes: [UInt8] = []
        var invalid = 0
        var warnings = 0
        var firstError: (Int, String)?
    }

    private static func encode(firstIndex: Int, records: ArraySlice<CSVRecord>, outcomes: [RowOutcome]) -> EncodedPart {
        var part = EncodedPart()
        part.bytes.reserveCapacity(records.count * 256)
        for (offset, (record, outcome)) in zip(records, outcomes).enumerated() {
            ResultsCSV.appendRow(record: record, outcome: outcome, to: &part.bytes)
            if !outcome.isValid {
                part.invalid += 1
                if part.firstError == nil { part.firstError = (firstIndex + offset, outcome.status) }
            } else if !outcome.issues.isEmpty {
                part.warnings += 1
            }
        }
        return part
    }
}
