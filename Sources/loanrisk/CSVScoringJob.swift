import Foundation
import Scoring

/// Streams a CSV through a `BatchScorer`: reads a chunk of records, scores and encodes it on
/// all workers, writes it, and goes on, so memory stays bounded whatever the file size.
struct CSVScoringJob {
    let scorer: BatchScorer
    let threads: Int
    /// Adds `contribution_<feature>` for every model feature and `contribution_expected_value`
    /// (TreeSHAP, raw log-odds, full precision).
    var contributions = false
    /// Adds `reason_1` … `reason_<reasons>` after the result columns (0: none): each row's
    /// principal reasons, drawn from the same contributions.
    var reasons = 0
    /// How the input writes decimals (`auto`: decided from its numeric columns).
    var decimalMarks = DecimalMark.Choice.auto
    struct Summary: CustomStringConvertible {
        var rows = 0
        var invalid = 0
        var warnings = 0
        /// Rows the cut-offs approve but a missing key input holds for review.
        var held = 0
        var firstError: String?
        var decimalMark = DecimalMark.point

        var description: String {
            var text = "scored \(rows - invalid) of \(rows) rows; \(invalid) invalid, \(warnings) with warnings"
            if held > 0 { text += ", \(held) held for review (a key input missing)" }
            if decimalMark == .comma { text += "; numbers read with decimal commas" }
            if let firstError { text += " (first invalid: \(firstError))" }
            return text
        }
    }

    func run(input: String, output: String) throws(CommandFailure) -> Summary {
        let reader: CSVReader
        do {
            reader = input == "-" ? CSVReader(fileHandle: .standardInput, options: .applicants) : try CSVReader(url: URL(fileURLWithPath: input), options: .applicants)
        } catch {
            throw CommandFailure(message: "cannot open \(input): \(error)")
        }
        let sink = try OutputSink(path: output)
        do {
            let summary = try score(reader: reader, into: sink.writer)
            try sink.commit()
            return summary
        } catch let error as CommandFailure {
            sink.discard()
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
        let model = scorer.model
        let options = ExplainOptions(reasons: reasons, contributions: contributions)
        if !options.isEmpty, !scorer.canExplain {
            let flags = [contributions ? "--contributions" : nil, reasons > 0 ? "--reasons" : nil].compactMap { $0 }
            throw CommandFailure(
                message: "\(flags.joined(separator: " and ")) \(flags.count > 1 ? "are" : "is") not available for linear-leaf models "
                    + "(their contributions are not defined; LightGBM does not define them either).")
        }
        try writer.writeRecord(ResultsCSV.header(inputHeader: header, explain: options, featureNames: model.featureNames))
        var summary = Summary()
        let featureCount = model.featureCount
        let version = scorer.bundle.version
        let policy = scorer.bundle.policy
        var chunks = ChunkedScoring(scorer: scorer, threads: threads, explain: options)
        chunks.decimalMarks = decimalMarks
        let read = try chunks.run(
            reader: reader, mapping: mapping,
            transform: { run in Self.encode(run, options: options, featureCount: featureCount, modelVersion: version, policy: policy) },
            consume: { part in
                try writer.write(bytes: part.bytes)
                summary.invalid += part.invalid
                summary.warnings += part.warnings
                summary.held += part.held
                if summary.firstError == nil, let (index, message) = part.firstError {
                    summary.firstError = "row \(index + 1): \(message)"
                }
            })
        summary.rows = read.records
        summary.decimalMark = read.decimalMark
        try writer.flush()
        return summary
    }

    private struct EncodedPart: Sendable {
        var bytes: [UInt8] = []
        var invalid = 0
        var warnings = 0
        var held = 0
        var firstError: (Int, String)?
    }

    private static func encode(
        _ run: ChunkedScoring.Run, options: ExplainOptions, featureCount: Int, modelVersion: String, policy: DecisionPolicy
    ) -> EncodedPart {
        var part = EncodedPart()
        let contributionCells = options.contributions ? featureCount + 1 : 0
        part.bytes.reserveCapacity(run.records.count * (256 + 20 * contributionCells + 80 * options.reasons))
        for (offset, (record, outcome)) in zip(run.records, run.outcomes).enumerated() {
            ResultsCSV.appendRow(record: record, outcome: outcome, modelVersion: modelVersion, explain: options, featureCount: featureCount, to: &part.bytes)
            if !outcome.isValid {
                part.invalid += 1
                if part.firstError == nil { part.firstError = (run.firstIndex + offset, outcome.status) }
            } else if !outcome.issues.isEmpty {
                part.warnings += 1
                if let p = outcome.probability, let decision = outcome.decision, policy.wasHeld(probability: p, decision: decision) { part.held += 1 }
            }
        }
        return part
    }
}
