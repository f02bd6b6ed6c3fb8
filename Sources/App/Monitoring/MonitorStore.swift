import Foundation
import GRDB
import Scoring

/// Traffic monitoring in the application's database: each model version's recent drift
/// samples and traffic counts, its window snapshots and alarm state, drift events and
/// their webhook deliveries. Everything a restart must not lose.
public struct MonitorStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
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
    struct Addition: Sendable {
        var modelName: String
        var modelVersion: String
        var channel: String
        var at: Date
        var requests: Int
        var applicants: Int
        var approve: Int
        var review: Int
        var decline: Int
        var samples: [DriftSample]
    }

    private struct TrafficKey: Hashable {
        var name: String
        var version: String
        var minute: Int
        var channel: String
    }

    /// Adds traffic and samples in one transaction, then drops each touched version's samples
    /// beyond its window (older than the age, or past the newest `limits.applicants`).
    func add(_ additions: [Addition], limits: WindowLimits, now: Date) async throws {
        guard !additions.isEmpty else { return }
        try await database.writer.write { db in
            let sample = try db.cachedStatement(sql: "INSERT INTO monitor_sample (model_name, model_version, at, codes) VALUES (?, ?, ?, ?)")
            let traffic = try db.cachedStatement(sql: """
                INSERT INTO monitor_traffic (model_name, model_version, minute, channel, requests, applicants, approve, review, decline)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model_name, model_version, minute, channel) DO UPDATE SET
                  requests = requests + excluded.requests, applicants = applicants + excluded.applicants,
                  approve = approve + excluded.approve, review = review + excluded.review, decline = decline + excluded.decline
                """)
            // One upsert per version, channel and minute, however many requests came.
            var counts: [TrafficKey: [Int]] = [:]
            var newest: [[String]: [(at: Date, sample: DriftSample)]] = [:]
            for a in additions {
                let key = TrafficKey(name: a.modelName, version: a.modelVersion, minute: Self.minute(a.at), channel: a.channel)
                let sum = counts[key] ?? [0, 0, 0, 0, 0]
                counts[key] = zip(sum, [a.requests, a.applicants, a.approve, a.review, a.decline]).map { $0 + $1 }
                newest[[a.modelName, a.modelVersion], default: []] += a.samples.suffix(limits.applicants).map { (a.at, $0) }
            }
            for (key, sum) in counts {
                try traffic.execute(arguments: [key.name, key.version, key.minute, key.channel, sum[0], sum[1], sum[2], sum[3], sum[4]])
            }
            // Only the newest that can still be in the window are written: under heavy API
            // traffic most of a flush's samples would be pruned at once.
            for (key, samples) in newest {
                for (at, s) in samples.suffix(limits.applicants) {
                    try sample.execute(arguments: [key[0], key[1], at, s.bytes])
                }
            }
            for key in newest.keys {
                try db.execute(sql: """
                    DELETE FROM monitor_sample WHERE model_name = ? AND model_version = ? AND (at < ? OR id <= COALESCE(
                      (SELECT id FROM monitor_sample WHERE model_name = ? AND model_version = ? ORDER BY id DESC LIMIT 1 OFFSET ?), -1))
                    """, arguments: [key[0], key[1], now.addingTimeInterval(-limits.age), key[0], key[1], limits.applicants])
            }
        }
    }

    /// A version's window now: its samples (oldest first) and the first and last time.
    struct Window: Sendable {
        var samples: [DriftSample]
        var from: Date
        var to: Date
    }

    func window(model: String, version: String, limits: WindowLimits, now: Date) async throws -> Window? {
        try await database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT at, codes FROM monitor_sample WHERE model_name = ? AND model_version = ? AND at >= ?
                ORDER BY id DESC LIMIT ?
                """, arguments: [model, version, now.addingTimeInterval(-limits.age), limits.applicants])
            guard let newest = rows.first, let oldest = rows.last else { return nil }
            let samples = rows.reversed().compactMap { row -> DriftSample? in
                let codes: Data = row["codes"]
                return DriftSample(bytes: codes)
            }
            return Window(samples: samples, from: oldest["at"], to: newest["at"])
        }
    }

    /// The alarm state of a version (nothing raised when none is kept).
    func alarm(model: String, version: String) async throws -> DriftAlarm {
        try await database.writer.read { db in
            guard let raised = try String.fetchOne(db, sql: "SELECT raised FROM monitor_alarm WHERE model_name = ? AND model_version = ?",
                                                   arguments: [model, version]),
                  let names = try? JSONDecoder().decode([String].self, from: Data(raised.utf8))
            else { return DriftAlarm() }
            return DriftAlarm(raised: Set(names))
        }
    }

    /// Keeps a window's snapshot, its alarm state and any events in one transaction; returns
    /// the events with their ids.
    func record(model: String, version: String, snapshot: DriftSnapshot?, alarm: DriftAlarm, events: [DriftEvent]) async throws -> [DriftEvent] {
        let names = String(decoding: try JSONEncoder().encode(alarm.raised.sorted()), as: UTF8.self)
        return try await database.writer.write { db in
            if var snapshot { try snapshot.insert(db) }
            var saved: [DriftEvent] = []
            for var event in events {
                try event.insert(db)
                saved.append(event)
            }
            try db.execute(sql: """
                INSERT INTO monitor_alarm (model_name, model_version, raised) VALUES (?, ?, ?)
                ON CONFLICT (model_name, model_version) DO UPDATE SET raised = excluded.raised
                """, arguments: [model, version, names])
            return saved
        }
    }

    func addDelivery(_ delivery: WebhookDelivery) async throws {
        try await database.writer.write { db in
            var delivery = delivery
            try delivery.insert(db)
        }
    }

    /// The model versions with traffic since `since`, most recent first.
    func versions(since: Date) async throws -> [(name: String, version: String)] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT model_name, model_version, MAX(minute) AS last FROM monitor_traffic WHERE minute >= ?
                GROUP BY model_name, model_version ORDER BY last DESC, model_name, model_version
                """, arguments: [Self.minute(since)]).map { ($0["model_name"], $0["model_version"]) }
        }
    }

    func traffic(model: String, version: String, since: Date) async throws -> [TrafficMinute] {
        try await database.writer.read { db in
            try TrafficMinute.fetchAll(db, sql: """
                SELECT * FROM monitor_traffic WHERE model_name = ? AND model_version = ? AND minute >= ? ORDER BY minute
                """, arguments: [model, version, Self.minute(since)])
        }
    }

    func snapshots(model: String, version: String, since: Date) async throws -> [DriftSnapshot] {
        try await database.writer.read { db in
            try DriftSnapshot.filter(Column("model_name") == model && Column("model_version") == version && Column("at") >= since)
                .order(Column("at")).fetchAll(db)
        }
    }

    /// The newest events, newest first, with their delivery attempts.
    func events(limit: Int) async throws -> [(event: DriftEvent, deliveries: [WebhookDelivery])] {
        try await database.writer.read { db in
            let events = try DriftEvent.order(Column("id").desc).limit(limit).fetchAll(db)
            let ids = events.compactMap(\.id)
            let deliveries = try WebhookDelivery.filter(ids.contains(Column("event_id"))).order(Column("event_id"), Column("attempt")).fetchAll(db)
            let byEvent = Dictionary(grouping: deliveries, by: \.eventID)
            return events.map { ($0, $0.id.flatMap { byEvent[$0] } ?? []) }
        }
    }

    /// Deletes traffic counts, snapshots, samples and events (with their deliveries) older
    /// than `date` (the retention service).
    func deleteOlder(than date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM monitor_traffic WHERE minute < ?", arguments: [Self.minute(date)])
            try db.execute(sql: "DELETE FROM monitor_snapshot WHERE at < ?", arguments: [date])
            try db.execute(sql: "DELETE FROM monitor_sample WHERE at < ?", arguments: [date])
            try db.execute(sql: "DELETE FROM drift_event WHERE at < ?", arguments: [date])
        }
    }

    static func minute(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 60).rounded(.down))
    }
}
