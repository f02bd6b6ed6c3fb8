import Foundation
import Logging
import Scoring

extension DecisionService {
    /// A stored batch and how long its steps took (for the upload's log line).
    package struct DecidedBatch: Sendable {
        package var summary: BatchSummary
        package var score: Duration
        package var compressWait: Duration
        package var store: Duration
    }

    /// Decides every row of an uploaded file and stores the batch: the rows, the compressed
    /// file and every scored row's audit record in one transaction (no decision without its
    /// record, even after `kill -9`), then counts, watches and shadow-scores it like any other
    /// decision. The rows' features and cells follow in a second write (`storeDeferred`).
    /// A row that cannot be read is that row's answer; a file that cannot be read as a whole
    /// is `.unreadableFile`, and nothing is stored. `caller` (`Principal.caller`) is who
    /// uploaded it, kept with the batch's audit records.
    package func decideUpload(_ file: UploadedFile, serving: ModelRegistry.Serving, team: String = "default", caller: String?, logger: Logger) async throws -> DecidedBatch {
        let clock = ContinuousClock()
        let started = clock.now
        let bundle = serving.champion
        // Compress the stored copy on another core while the rows are scored.
        async let compressed = file.gzip()
        let scored: BatchBuilder.Built
        do {
            var builder = BatchBuilder(scorer: BatchScorer(bundle: bundle), threads: settings.threads)
            builder.recentSamples = settings.monitorWindowApplicants
            scored = try builder.build(file, id: BatchID.make())
        } catch {
            _ = try? await compressed
            throw DecisionError.unreadableFile(error)
        }
        let built = clock.now
        var owned = scored.summary
        owned.teamID = team
        let batch = BatchStore.NewBatch(
            summary: owned, rows: scored.rows, features: scored.features, gzipFile: try await compressed, fileByteCount: file.csv.count,
            modelSha256: bundle.sha256, caller: caller)
        let packed = clock.now
        try await batches.insert(batch)
        let stored = clock.now
        storeDeferred(scored.features, file: file, batch: batch.summary.id, logger: logger)
        let summary = batch.summary
        trail.metrics.scored(model: bundle.name, version: bundle.version, channel: AuditRecord.Channel.batch.rawValue,
                             decisions: batch.rows.compactMap { r in r.decision.flatMap { d in r.probability.map { (d, $0) } } })
        trail.monitor.observe(.init(
            bundle: bundle, channel: .batch, at: summary.createdAt, applicants: summary.validCount, approve: summary.approveCount,
            review: summary.reviewCount, decline: summary.declineCount, samples: scored.samples))
        if let drift = summary.drift {
            trail.metrics.batchDrift(model: bundle.name, inputs: drift.inputs.map { ($0.name, $0.psi) }, score: drift.score?.psi)
        }
        if let challenger = serving.challenger {
            shadow.submit(.batch(.init(champion: bundle, challenger: challenger, channel: .batch, requestID: summary.id), id: summary.id))
        }
        return DecidedBatch(summary: summary, score: built - started, compressWait: packed - built, store: stored - packed)
    }

    /// The rows' features (what their reasons are computed from) and uploaded cells follow the
    /// batch in a second write, so the results page does not wait for them; pages that need
    /// them wait a moment or say they are being prepared meanwhile.
    /// The cells are read from the file again there (a tenth of the time scoring it took):
    /// made while scoring, they tripled the time to the results page of a 64 MB file.
    /// Once they are stored, the audit records' reason codes are computed from them.
    private func storeDeferred(_ features: [RowFeatures.Block], file: UploadedFile, batch id: String, logger: Logger) {
        let batches = self.batches, reasonCodes = self.reasonCodes
        Task {
            do {
                let cells = try RowCells.json(file.reader())
                try await batches.insertDeferred(batch: id, features: features, cells: cells)
                reasonCodes.submit(batch: id)
            } catch {
                logger.error("batch features and cells not stored", metadata: ["batch": .string(id), "error": "\(error)"])
            }
        }
    }
}
