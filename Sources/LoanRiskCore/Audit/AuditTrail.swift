import Foundation
import Scoring

/// Where the decision service leaves each decision's audit record before it is answered.
/// An answer names its request id (HTTP: `X-Request-Id`), which is the records' `request_id`.
/// Every recorded decision is also counted (metrics) and watched (the traffic monitor).
package struct AuditTrail: Sendable {
    package let log: AuditLog
    package let metrics: AppMetrics
    package let monitor: TrafficMonitor

    /// A new request id: 24 hex digits, the first 12 the milliseconds since 1970, the other
    /// 12 this process's next sequence number (`RequestSequence`). Time first, so ids sort by
    /// time and the audit log's (request_id, row_number) index grows at its end: random ids
    /// put each insert on a random page of that index, and the log's writer wrote ~10 KB to
    /// SQLite per record.
    package static func newRequestID(at now: Date = Date()) -> String {
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1_000))
        return HexDigits.string(milliseconds, RequestSequence.next(), digitsEach: 12)
    }

    /// Records the scored outcomes (rows that could not be scored decided nothing and leave
    /// none); waits until they are durable — committed, or synced to the audit journal while
    /// the database cannot take them (`AuditLog`). `.notRecorded` when neither can: the
    /// decision is then not given at all.
    /// `samples`: the scored applicants' drift samples, for the traffic window. `caller`: who
    /// asked (`Principal.caller`), kept in each record.
    package func record(
        _ outcomes: [RowOutcome], applicantIDs: [String?], bundle: ModelBundle, channel: AuditRecord.Channel, requestID: String,
        samples: [DriftSample], caller: String? = nil, firstRow: Int = 1, at now: Date = Date()
    ) async throws(DecisionError) {
        var records: [AuditRecord] = []
        records.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() where outcome.probability != nil {
            records.append(AuditRecord(
                at: now, requestID: requestID, channel: channel, rowNumber: firstRow + index,
                applicantID: index < applicantIDs.count ? applicantIDs[index] : nil, bundle: bundle, outcome: outcome, caller: caller))
        }
        metrics.scored(model: bundle.name, version: bundle.version, channel: channel.rawValue,
                       decisions: records.compactMap { r in r.decision.flatMap { d in r.probability.map { (d, $0) } } })
        do {
            try await log.record(records)
        } catch {
            throw .notRecorded
        }
        monitor.observe(.init(bundle: bundle, channel: channel, at: now, outcomes: outcomes, samples: samples))
    }
}
