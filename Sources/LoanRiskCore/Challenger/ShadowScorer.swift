import Foundation
import Logging
import NIOCore
import Scoring
import ServiceLifecycle
import Synchronization

/// Scores requests and uploads with the challenger too, off the answer's path: the
/// surfaces hand over what the champion saw and decided, and return at once; this service
/// scores it with the challenger on its own task and keeps each pair. When more work
/// arrives than it keeps up with, the oldest waiting stays and the newest is dropped and
/// counted — shadow scoring never slows the champion's answers.
package final class ShadowScorer: Service, Sendable {
    /// One piece of shadow work.
    package enum Job: Sendable {
        /// JSON or OIP applicants, as cells by column name, with the champion's outcomes.
        case applicants(Pairing, cells: [[String: String]], champion: [RowOutcome])
        /// A CSV body, with the champion's outcomes in file order.
        case csv(Pairing, body: ByteBuffer, champion: [RowOutcome])
        /// A stored batch, scored again from its stored file.
        case batch(Pairing, id: String)
    }

    /// Which versions and which request.
    package struct Pairing: Sendable {
        package var champion: ModelBundle
        package var challenger: ModelBundle
        package var channel: AuditRecord.Channel
        package var requestID: String
    }

    private let store: ShadowStore
    private let batches: BatchStore
    private let logger: Logger
    private let jobs: AsyncStream<Job?>
    private let enqueue: AsyncStream<Job?>.Continuation
    private let dropped = Atomic<Int>(0)
    /// Pairs waiting to be written: written together, a few times a second.
    private var flushEvery: Duration { .milliseconds(200) }

    package init(store: ShadowStore, batches: BatchStore, logger: Logger, capacity: Int = 1_024) {
        self.store = store
        self.batches = batches
        self.logger = logger
        (jobs, enqueue) = AsyncStream.makeStream(of: Job?.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Hands work over without waiting; returns false when it was dropped (the queue is full).
    @discardableResult
    package func submit(_ job: Job) -> Bool {
        if case .dropped = enqueue.yield(job) {
            dropped.add(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Jobs dropped since start.
    package var droppedCount: Int { dropped.load(ordering: .relaxed) }

    package func run() async throws {
        let enqueue = self.enqueue
        let interval = flushEvery
        // A tick (nil) every interval, so pairs never wait long for their write.
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                enqueue.yield(nil)
            }
        }
        defer { ticker.cancel() }
        await cancelWhenGracefulShutdown {
            var pending: [ShadowPair] = []
            let clock = ContinuousClock()
            var lastWrite = clock.now
            for await job in self.jobs {
                if let job { pending += await self.pairs(for: job) }
                if !pending.isEmpty, pending.count >= 2_000 || clock.now - lastWrite >= interval {
                    await self.write(&pending)
                    lastWrite = clock.now
                }
            }
            // Shutting down: what was scored is still kept.
            await self.write(&pending)
        }
    }

    private func write(_ pending: inout [ShadowPair]) async {
        guard !pending.isEmpty else { return }
        do {
            try await store.append(pending)
        } catch {
            logger.error("shadow scoring: pairs not written", metadata: ["pairs": .stringConvertible(pending.count), "error": "\(error)"])
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Scores a job with the challenger; pairs only rows both scored.
    package func pairs(for job: Job) async -> [ShadowPair] {
        switch job {
        case .applicants(let pairing, let cells, let champion):
            let challenger = BatchScorer(bundle: pairing.challenger).score(applicants: cells, explain: .none, threads: 1)
            return Self.pair(pairing, champion: champion, challenger: challenger, firstRow: 1)
        case .csv(let pairing, let body, let champion):
            guard let challenger = Self.scoreCSV(body, with: pairing.challenger) else { return [] }
            return Self.pair(pairing, champion: champion, challenger: challenger, firstRow: 1)
        case .batch(let pairing, let id):
            do {
                guard let export = try await batches.export(batch: id) else { return [] }
                let plain = try Gzip.decompress(export.gzip, byteCount: export.byteCount)
                guard let challenger = Self.scoreCSV(plain, with: pairing.challenger) else { return [] }
                let now = Date()
                // By row number: the file's Nth record is row N (an erased row's record is an empty line).
                return export.rows.compactMap { row -> ShadowPair? in
                    guard row.rowNumber >= 1, row.rowNumber <= challenger.count else { return nil }
                    let outcome = challenger[row.rowNumber - 1]
                    guard let p = row.probability, let d = row.decision, let q = outcome.probability, let e = outcome.decision else { return nil }
                    return ShadowPair(
                        at: now, name: pairing.champion.name, championVersion: pairing.champion.version, challengerVersion: pairing.challenger.version,
                        channel: pairing.channel, requestID: pairing.requestID, rowNumber: row.rowNumber,
                        championProbability: p, challengerProbability: q, championDecision: d, challengerDecision: e.rawValue,
                        applicantID: row.applicantID)
                }
            } catch {
                logger.error("shadow scoring: batch not scored by the challenger", metadata: ["batch": .string(id), "error": "\(error)"])
                return []
            }
        }
    }

    /// The challenger's outcomes for a CSV body, or nil when its columns do not fit the challenger.
    private static func scoreCSV(_ body: ByteBuffer, with bundle: ModelBundle) -> [RowOutcome]? {
        let reader = body.withUnsafeReadableBytes { CSVReader(bytes: $0, options: .applicants) }
        do {
            let header = try reader.readHeader()
            let mapping = try ColumnMapping(header: header, schema: bundle.schema)
            var records: [CSVRecord] = []
            var record = CSVRecord()
            while try reader.read(into: &record) { records.append(record) }
            // Decided from the first rows, as the champion's read (ChunkedScoring) decided it.
            let mark = try DecimalMarkDetector(schema: bundle.schema, mapping: mapping).decide(records.prefix(ChunkedScoring.defaultChunkSize), delimiter: reader.delimiter)
            return BatchScorer(bundle: bundle, decimalMark: mark).score(records: records[...], mapping: mapping)
        } catch {
            return nil
        }
    }

    private static func pair(_ pairing: Pairing, champion: [RowOutcome], challenger: [RowOutcome], firstRow: Int) -> [ShadowPair] {
        let now = Date()
        return zip(champion, challenger).enumerated().compactMap { index, both in
            guard let p = both.0.probability, let d = both.0.decision, let q = both.1.probability, let e = both.1.decision else { return nil }
            return ShadowPair(
                at: now, name: pairing.champion.name, championVersion: pairing.champion.version, challengerVersion: pairing.challenger.version,
                channel: pairing.channel, requestID: pairing.requestID, rowNumber: firstRow + index,
                championProbability: p, challengerProbability: q, championDecision: d.rawValue, challengerDecision: e.rawValue)
        }
    }
}
