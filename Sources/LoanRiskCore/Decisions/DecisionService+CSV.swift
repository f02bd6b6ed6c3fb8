import Foundation
import NIOCore
import Scoring

extension DecisionService {
    /// What a CSV body's decisions come back as: the results file, as the web download and
    /// `loanrisk score` write it, and one outcome per row in file order.
    package struct DecidedFile: Sendable {
        package var requestID: String
        package var bundle: ModelBundle
        package var outcomes: [RowOutcome]
        /// The input columns unchanged, then the results (and reasons or contributions as asked).
        package var resultsCSV: [UInt8]
    }

    /// Decides every row of a CSV body, streamed chunk by chunk. Unlike `decide`, a row that
    /// cannot be read is that row's answer (its status says why) and the others are decided;
    /// only a file that cannot be read as a whole (`.unreadableFile`) decides nothing.
    package func decideCSV(
        _ body: ByteBuffer, serving: ModelRegistry.Serving, channel: AuditRecord.Channel, explain asked: ExplainOptions, caller: String?
    ) async throws(DecisionError) -> DecidedFile {
        let bundle = serving.champion
        let scorer = BatchScorer(bundle: bundle)
        let explain = scorer.canExplain ? asked : .none
        let reader = body.withUnsafeReadableBytes { CSVReader(bytes: $0, options: .applicants) }
        let featureCount = scorer.model.featureCount
        let version = bundle.version
        var bytes: [UInt8] = []
        var outcomes: [RowOutcome] = []
        var ids: [String?] = []
        var recent = RecentRows(limit: settings.monitorWindowApplicants)
        let samples: [DriftSample]
        do {
            let header = try reader.readHeader()
            let mapping = try ColumnMapping(header: header, schema: scorer.schema)
            let idColumn = mapping.idColumn
            CSVEncoder.appendRecord(ResultsCSV.header(inputHeader: header, explain: explain, featureNames: scorer.model.featureNames), to: &bytes)
            try ChunkedScoring(scorer: scorer, threads: settings.threads, explain: explain).run(
                reader: reader, mapping: mapping,
                transform: { run in
                    var part: [UInt8] = []
                    for (record, outcome) in zip(run.records, run.outcomes) {
                        ResultsCSV.appendRow(record: record, outcome: outcome, modelVersion: version, explain: explain, featureCount: featureCount, to: &part)
                    }
                    return (part, run.outcomes, run.records.map { record in idColumn.map { record[$0] } }, run.records)
                },
                consume: { part in
                    bytes += part.0
                    outcomes += part.1
                    ids += part.2
                    recent.append(records: part.3, outcomes: part.1)
                })
            samples = recent.samples(scorer: scorer, mapping: mapping)
        } catch let error as CSVError {
            throw .unreadableFile(InputFileError(error.message))
        } catch let error as InputFileError {
            throw .unreadableFile(error)
        } catch {
            throw .unreadableFile(InputFileError("The file could not be read: \(error)"))
        }
        let requestID = AuditTrail.newRequestID()
        try await trail.record(outcomes, applicantIDs: ids, bundle: bundle, channel: channel, requestID: requestID, samples: samples, caller: caller)
        if let challenger = serving.challenger {
            shadow.submit(.csv(.init(champion: bundle, challenger: challenger, channel: channel, requestID: requestID), body: body, champion: outcomes))
        }
        return DecidedFile(requestID: requestID, bundle: bundle, outcomes: outcomes, resultsCSV: bytes)
    }
}
