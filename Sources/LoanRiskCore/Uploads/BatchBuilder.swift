import Foundation
import Scoring

/// Turns an uploaded file into a batch ready to store: reads it as CSV against the model's
/// schema, scores every row on all cores, and summarises. Any whole-file problem throws
/// `InputFileError` before anything is stored.
package struct BatchBuilder {
    package let scorer: BatchScorer
    package let threads: Int
    /// How many of the newest scored rows become drift samples for the traffic window.
    package var recentSamples = 0

    /// What `build` produces: the summary, one stored row per record, and the features of
    /// every scored row (for reasons on demand).
    package struct Built: Sendable {
        package var summary: BatchSummary
        package var rows: [StoredRow]
        package var features: [RowFeatures.Block]
        /// The file's inputs and scores against the model's training distribution; nil for a
        /// model without a reference.
        package var drift: DriftReport?
        /// The drift samples of the newest `recentSamples` scored rows (none without a reference).
        package var samples: [DriftSample] = []
    }

    /// One worker's share of a chunk.
    private struct Part: Sendable {
        package var rows: [StoredRow]
        package var features: [RowFeatures.Block]
        package var drift: DriftTallies?
        package var records: ArraySlice<CSVRecord>
        package var outcomes: [RowOutcome]
    }

    /// Scores the file; the stored copy (`gzip`) is supplied by the caller, who compresses
    /// it meanwhile.
    package func build(_ file: UploadedFile, id: String, now: Date = Date()) throws(InputFileError) -> Built {
        let reader = file.reader()
        let header: [String]
        do {
            header = try reader.readHeader()
        } catch {
            throw InputFileError(Self.describe(error, file: file))
        }
        let mapping = try ColumnMapping(header: header, schema: scorer.schema)
        let idColumn = mapping.idColumn
        var rows: [StoredRow] = []
        var features: [RowFeatures.Block] = []
        var tally = Tally()
        var drift = scorer.bundle.drift?.emptyTallies()
        var recent = RecentRows(limit: scorer.bundle.drift == nil ? 0 : recentSamples)
        let read: ChunkedScoring.Summary
        do {
            let keepFeatures = scorer.canExplain
            var chunks = ChunkedScoring(scorer: scorer, threads: threads)
            chunks.tallyDrift = true
            read = try chunks.run(
                reader: reader, mapping: mapping,
                transform: { run in Self.part(run, idColumn: idColumn, keepFeatures: keepFeatures) },
                consume: { part in
                    for row in part.rows { tally.add(row) }
                    rows.append(contentsOf: part.rows)
                    features.append(contentsOf: part.features)
                    if let counts = part.drift { drift? += counts }
                    recent.append(records: part.records, outcomes: part.outcomes)
                })
        } catch let error as InputFileError {
            throw error
        } catch {
            throw InputFileError(Self.describe(error, file: file))
        }
        let used = scorer.reading(read.decimalMark)
        guard !rows.isEmpty else {
            throw InputFileError("\(UploadedFile.quoted(file.name)) has a header but no applicants: add one row per applicant below the header.",
                                 expectedHeader: scorer.schema.requiredColumns)
        }
        var report: DriftReport?
        if let profile = scorer.bundle.drift, let drift { report = DriftReport(profile: profile, tallies: drift, schema: scorer.schema) }
        if var drifted = report, let hold = DriftHold(report: drifted, schema: scorer.schema) {
            drifted.heldApprovals = Self.hold(hold, rows: &rows, features: &features)
            report = drifted
            tally = Tally()
            for row in rows { tally.add(row) }
        }
        let summary = BatchSummary(
            id: id, modelName: scorer.bundle.name, modelVersion: scorer.bundle.version, fileName: file.name,
            createdAt: now, rowCount: rows.count, validCount: tally.valid, warningCount: tally.warnings,
            approveCount: tally.decisions[.approve, default: 0], reviewCount: tally.decisions[.review, default: 0],
            declineCount: tally.decisions[.decline, default: 0],
            meanProbability: tally.valid > 0 ? tally.probabilitySum / Double(tally.valid) : nil,
            histogram: tally.histogram, header: header, idColumn: mapping.idColumnName,
            decimalMark: read.decimalMark)
        var stored = summary
        stored.drift = report
        return Built(summary: stored, rows: rows, features: features, drift: report, samples: recent.samples(scorer: used, mapping: mapping))
    }

    /// One worker's run of records: their stored rows, and the features of those scored
    /// (none for a model that cannot be explained), taken from the matrix they were scored
    /// from, so no cell is read twice.
    private static func part(_ run: ChunkedScoring.Run, idColumn: Int?, keepFeatures: Bool) -> Part {
        let (records, outcomes, firstIndex) = (run.records, run.outcomes, run.firstIndex)
        var part = Part(rows: [], features: [], drift: run.drift, records: records, outcomes: outcomes)
        part.rows.reserveCapacity(records.count)
        for (offset, (record, outcome)) in zip(records, outcomes).enumerated() {
            part.rows.append(storedRow(number: firstIndex + offset + 1, record: record, outcome: outcome, idColumn: idColumn))
        }
        if keepFeatures {
            for start in stride(from: 0, to: records.count, by: RowFeatures.rowsPerBlock) {
                let rows = start..<min(start + RowFeatures.rowsPerBlock, records.count)
                part.features.append(RowFeatures.Block(firstRow: firstIndex + start + 1, matrix: run.matrix, rows: rows) { row in
                    outcomes[row].isValid ? outcomes[row].issues : []
                })
            }
        }
        return part
    }

    private struct Tally {
        package var valid = 0
        package var warnings = 0
        package var decisions: [Decision: Int] = [:]
        package var probabilitySum = 0.0
        package var histogram = [Int](repeating: 0, count: BatchSummary.histogramBins)

        package mutating func add(_ row: StoredRow) {
            if row.state == "warning" { warnings += 1 }
            guard let p = row.probability else { return }
            valid += 1
            probabilitySum += p
            if let d = row.decision.flatMap(Decision.init(rawValue:)) { decisions[d, default: 0] += 1 }
            histogram[min(BatchSummary.histogramBins - 1, Int(p * Double(BatchSummary.histogramBins)))] += 1
        }
    }

    package static func storedRow(number: Int, record: CSVRecord, outcome: RowOutcome, idColumn: Int?) -> StoredRow {
        let state = outcome.isValid ? (outcome.issues.isEmpty ? "ok" : "warning") : "error"
        return StoredRow(
            rowNumber: number, applicantID: idColumn.map { record[$0] }, probability: outcome.probability,
            decision: outcome.decision?.rawValue, score: outcome.score, state: state, status: outcome.status)
    }

    private static func describe(_ error: any Error, file: UploadedFile) -> String {
        switch error {
        case let error as CSVError:
            if error.kind == .empty {
                return "\(UploadedFile.quoted(file.name)) is empty. Choose a CSV file with a header row and one row per applicant."
            }
            return "\(UploadedFile.quoted(file.name)) could not be read as CSV. \(error.message)"
        case let error as InputFileError:
            return error.message
        default:
            return "\(UploadedFile.quoted(file.name)) could not be read: \(error)."
        }
    }
}
