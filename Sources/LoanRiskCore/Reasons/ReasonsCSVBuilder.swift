import Foundation
import NIOCore
import Scoring

/// Makes a batch's results CSV with reasons: the uploaded file's columns unchanged, the
/// result columns, then `reason_1` … `reason_4`. Rows are explained a chunk at a time from
/// their stored features, on Dispatch threads, so the server keeps answering meanwhile and
/// progress can be shown after every chunk.
package struct ReasonsCSVBuilder: Sendable {
    package let store: BatchStore
    package let explainer: StoredRowExplainer
    package let threads: Int

    package static let reasonCount = ExplainOptions.defaultReasonCount
    /// Rows per chunk: large enough to keep every worker busy, small enough that progress
    /// moves (with the bundled lending-club model, a few hundredths of a second).
    package static let chunkRows = 2048

    /// Why the file cannot be made; the message is shown on the batch page.
    package struct Failure: Error, Sendable {
        package let message: String
    }

    /// The uncompressed file. `progress(done, total)` is called after every chunk.
    package func build(summary: BatchSummary, progress: @Sendable (Int, Int) -> Void) async throws -> [UInt8] {
        let id = summary.id
        if summary.validCount > 0, try await store.featuresState(batch: id, waitingUpTo: .seconds(60)) != .stored {
            throw Failure(message: StoredRowExplainer.noFeaturesMessage)
        }
        guard let export = try await store.export(batch: id) else {
            throw Failure(message: "This batch's file is no longer stored.")
        }
        let plain = try await Detached.run { try Gzip.decompress(export.gzip, byteCount: export.byteCount) }
        let reader = CSVReader(data: Data(plain.readableBytesView), options: .applicants)
        let header = try reader.readHeader()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(export.byteCount + export.rows.count * 256)
        CSVEncoder.appendRecord(ResultsCSV.header(inputHeader: header, explain: ExplainOptions(reasons: Self.reasonCount)), to: &bytes)
        var record = CSVRecord()
        var number = 0
        let options = ExplainOptions(reasons: Self.reasonCount)
        let total = export.rows.count
        progress(0, total)
        for start in stride(from: 0, to: total, by: Self.chunkRows) {
            try Task.checkCancellation()
            let rows = export.rows[start..<min(start + Self.chunkRows, total)]
            guard let first = rows.first?.rowNumber, let last = rows.last?.rowNumber else { continue }
            let features = try await store.features(batch: id, rowNumbers: first...last)
            let pairs = rows.compactMap { row in
                row.probability == nil ? nil : features[row.rowNumber].map { (row: row, features: $0) }
            }
            let (explainer, threads) = (self.explainer, self.threads)
            let explained = await Detached.run { explainer.explain(pairs, options: options, threads: threads) }
            guard explained.mismatched.isEmpty else { throw Failure(message: StoredRowExplainer.mismatchMessage) }
            for row in rows {
                // Row N is the file's Nth record; an erased applicant's row is gone and its
                // record is an empty line (`StoredUploadRewrite`), skipped here.
                var found = false
                while number < row.rowNumber, try reader.read(into: &record) {
                    number += 1
                    found = number == row.rowNumber
                }
                guard found else { break }
                ResultsCSV.appendInput(record, to: &bytes)
                ResultsCSV.appendResult(
                    probability: row.probability, decision: row.decision, score: row.score, status: row.status,
                    modelVersion: summary.modelVersion, reasons: explained.explanations[row.rowNumber]?.reasons.map(\.text) ?? [], reasonCount: Self.reasonCount, to: &bytes)
            }
            progress(start + rows.count, total)
        }
        return bytes
    }
}
