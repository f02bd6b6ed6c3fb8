import Foundation
import LoanRiskStorage
import Scoring

/// Traffic monitoring in the application's database: each model version's recent drift
/// samples and traffic counts, its window snapshots and alarm state, drift events and
/// their webhook deliveries. Everything a restart must not lose.
public struct MonitorStore: Sendable {
    package let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// How far back a window reaches: the last `applicants` scored, and no older than `age`.
    public struct WindowLimits: Sendable, Equatable {
        public var applicants: Int
        public var age: TimeInterval

        public init(applicants: Int = 1_000, age: TimeInterval = 24 * 3_600) {
            self.applicants = applicants
            self.age = age
        }
    }

    /// What one flush adds for one model version.
    package struct Addition: Sendable {
        package var modelName: String
        package var modelVersion: String
        package var channel: String
        package var at: Date
        package var requests: Int
        package var applicants: Int
        package var approve: Int
        package var review: Int
        package var decline: Int
        package var samples: [DriftSample]
    }

    private struct TrafficKey: Hashable {
        package var name: String
        package var version: String
        package var minute: Int
        package var channel: String
    }

    /// Adds traffic and samples in one transaction, then drops each touched version's samples
    /// beyond its window (older than the age, or past the newest `limits.applicants`).
    package func add(_ additions: [Addition], limits: WindowLimits, now: Date) async throws {
        guard !additions.isEmpty else { return }
        // One upsert per version, channel and minute, however many requests came.
        var counts: [TrafficKey: [Int]] = [:]
        var newest: [[String]: [(at: Date, sample: DriftSample)]] = [:]
        for a in additions {
            let key = TrafficKey(name: a.modelName, version: a.modelVersion, minute: Self.minute(a.at), channel: a.channel)
            let sum = counts[key] ?? [0, 0, 0, 0, 0]
            counts[key] = zip(sum, [a.requests, a.applicants, a.approve, a.review, a.decline]).map { $0 + $1 }
            newest[[a.modelName, a.modelVersion], default: []] += a.samples.suffix(limits.applicants).map { (a.at, $0) }
        }
        // Only the newest that can still be in the window are written: under heavy API
        // traffic most of a flush's samples would be pruned at once.
        var samples: [SQLValue] = []
        for (key, kept) in newest {
            for (at, s) in kept.suffix(limits.applicants) {
                samples += [.text(key[0]), .text(key[1]), .date(at), .blob(s.bytes)]
            }
        }
        let sampleValues = samples
        let touched = Array(newest.keys)
        let trafficRows = counts.map { ($0.key, $0.value) }
        try await database.write { db in
            for (key, sum) in trafficRows {
                try await db.execute("""
                    INSERT INTO monitor_traffic (model_name, model_version, minute, channel, requests, applicants, approve, review, decline)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (model_name, model_version, minute, channel) DO UPDATE SET
                      requests = monitor_traffic.requests + excluded.requests, applicants = monitor_traffic.applicants + excluded.applicants,
                      approve = monitor_traffic.approve + excluded.approve, review = monitor_traffic.review + excluded.review,
                      decline = monitor_traffic.decline + excluded.decline
                    """, [key.name, key.version, key.minute, key.channel, sum[0], sum[1], sum[2], sum[3], sum[4]])
            }
            try await db.insert(into: "monitor_sample", columns: ["model_name", "model_version", "at", "codes"], values: sampleValues)
            for key in touched {
                try await db.execute("""
                    DELETE FROM monitor_sample WHERE model_name = ? AND model_version = ? AND (at < ? OR id <= COALESCE(
                      (SELECT id FROM monitor_sample WHERE model_name = ? AND model_version = ? ORDER BY id DESC LIMIT 1 OFFSET ?), -1))
                    """, [key[0], key[1], now.addingTimeInterval(-limits.age), key[0], key[1], limits.applicants])
            }
        }
    }

    /// A version's window now: its samples (oldest first) and the first and last time.
    package struct Window: Sendable {
        package var samples: [DriftSample]
        package var from: Date
        package var to: Date
    }

    package func window(model: String, version: String, limits: WindowLimits, now: Date) async throws -> Window? {
        try await database.read { db in
            let rows = try await db.query("""
                SELECT at, codes FROM monitor_sample WHERE model_name = ? AND model_version = ? AND at >= ?
                ORDER BY id DESC LIMIT ?
                """, [model, version, now.addingTimeInterval(-limits.age), limits.applicants])
            guard let newest = rows.first, let oldest = rows.last else { return nil }
            let samples = try rows.reversed().compactMap { row -> DriftSample? in DriftSample(bytes: try row.get("codes")) }
            return Window(samples: samples, from: try oldest.get("at"), to: try newest.get("at"))
        }
    }

    /// The alarm state of a version (nothing raised when none is kept).
    package func alarm(model: String, version: String) async throws -> DriftAlarm {
        try await database.read { db in
            guard let raised = try await db.scalar("SELECT raised FROM monitor_alarm WHERE model_name = ? AND model_version = ?",
                                                   [model, version], as: String.self),
                  let names = try? JSONDecoder().decode([String].self, from: Data(raised.utf8))
            else { return DriftAlarm() }
            return DriftAlarm(raised: Set(names))
        }
    }

    /// Keeps a window's snapshot, its alarm state and any events in one transaction; returns
    /// the events with their ids. Instances sharing a database measure the same window: an
    /// event for a measure another instance has raised meanwhile is dropped (on PostgreSQL
    /// under a lock per model version), so each crossing is announced once.
    package func record(model: String, version: String, snapshot: DriftSnapshot?, alarm: DriftAlarm, events: [DriftEvent]) async throws -> [DriftEvent] {
        let names = String(decoding: try JSONEncoder().encode(alarm.raised.sorted()), as: UTF8.self)
        return try await database.write { db in
            if db.dialect == .postgres {
                try await db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", ["monitor_alarm|\(model)|\(version)"])
            }
            let stored = try await db.scalar(
                "SELECT raised FROM monitor_alarm WHERE model_name = ? AND model_version = ?", [model, version], as: String.self)
            let raisedElsewhere = Set(stored.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [])
            if let snapshot { try await db.insert(snapshot, into: DriftSnapshot.table, skipping: ["id"]) }
            var saved: [DriftEvent] = []
            for var event in events where !raisedElsewhere.contains(event.input) {
                event.id = try await db.insert(event, into: DriftEvent.table, skipping: ["id"], returning: "id")
                saved.append(event)
            }
            try await db.execute("""
                INSERT INTO monitor_alarm (model_name, model_version, raised) VALUES (?, ?, ?)
                ON CONFLICT (model_name, model_version) DO UPDATE SET raised = excluded.raised
                """, [model, version, names])
            return saved
        }
    }

    package func addDelivery(_ delivery: WebhookDelivery) async throws {
        try await database.write { db in try await db.insert(delivery, into: WebhookDelivery.table, skipping: ["id"]) }
    }

    /// The model versions with traffic since `since`, most recent first.
    package func versions(since: Date) async throws -> [(name: String, version: String)] {
        try await database.read { db in
            try await db.query("""
                SELECT model_name, model_version, MAX(minute) AS last FROM monitor_traffic WHERE minute >= ?
                GROUP BY model_name, model_version ORDER BY last DESC, model_name, model_version
                """, [Self.minute(since)]).map { (try $0.get("model_name"), try $0.get("model_version")) }
        }
    }

    package func traffic(model: String, version: String, since: Date) async throws -> [TrafficMinute] {
        try await database.read { db in
            try await db.query("""
                SELECT * FROM monitor_traffic WHERE model_name = ? AND model_version = ? AND minute >= ? ORDER BY minute
                """, [model, version, Self.minute(since)]).map { try $0.decode(TrafficMinute.self) }
        }
    }

    package func snapshots(model: String, version: String, since: Date) async throws -> [DriftSnapshot] {
        try await database.read { db in
            try await db.query("SELECT * FROM monitor_snapshot WHERE model_name = ? AND model_version = ? AND at >= ? ORDER BY at",
                               [model, version, since]).map { try $0.decode(DriftSnapshot.self) }
        }
    }

    /// The newest events, newest first, with their delivery attempts.
    package func events(limit: Int) async throws -> [(event: DriftEvent, deliveries: [WebhookDelivery])] {
        try await database.read { db in
            let events = try await db.query("SELECT * FROM drift_event ORDER BY id DESC LIMIT ?", [limit]).map { try $0.decode(DriftEvent.self) }
            let ids = events.compactMap(\.id)
            let deliveries = ids.isEmpty ? [] : try await db.query(
                "SELECT * FROM webhook_delivery WHERE event_id IN \(db.placeholders(ids.count)) ORDER BY event_id, attempt",
                ids.map { $0 as any SQLBindable }).map { try $0.decode(WebhookDelivery.self) }
            let byEvent = Dictionary(grouping: deliveries, by: \.eventID)
            return events.map { ($0, $0.id.flatMap { byEvent[$0] } ?? []) }
        }
    }

    /// Deletes traffic counts, snapshots, samples and events (with their deliveries) older
    /// than `date` (the retention service).
    package func deleteOlder(than date: Date) async throws {
        try await database.write { db in
            try await db.execute("DELETE FROM monitor_traffic WHERE minute < ?", [Self.minute(date)])
            try await db.execute("DELETE FROM monitor_snapshot WHERE at < ?", [date])
            try await db.execute("DELETE FROM monitor_sample WHERE at < ?", [date])
            try await db.execute("DELETE FROM drift_event WHERE at < ?", [date])
        }
    }

    package static func minute(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 60).rounded(.down))
    }
}
