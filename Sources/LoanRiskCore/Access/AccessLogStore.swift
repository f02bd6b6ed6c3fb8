import Foundation
import LoanRiskStorage

/// The access log in the application's database: appended to, read in order, and purged
/// after `ACCESS_LOG_RETENTION_DAYS` — nothing else. There is no update and no delete of one
/// event; on PostgreSQL a trigger refuses them too (migration v17).
package struct AccessLogStore: Sendable {
    package let database: any SQLDatabase

    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// Appends events in one transaction.
    package func append(_ events: [AccessEvent]) async throws {
        guard !events.isEmpty else { return }
        let values = events.flatMap(\.insertValues)
        try await database.write { db in
            try await db.insert(into: AccessEvent.table, columns: AccessEvent.insertColumns, values: values)
        }
    }

    /// What the export and the page select: a time range (`until` exclusive), a caller and an action.
    package struct Filter: Sendable, Equatable {
        package var since: Date?
        package var until: Date?
        package var caller: String?
        package var action: AccessEvent.Action?

        package init(since: Date? = nil, until: Date? = nil, caller: String? = nil, action: AccessEvent.Action? = nil) {
            self.since = since
            self.until = until
            self.caller = caller
            self.action = action
        }

        fileprivate func conditions() -> (String, [any SQLBindable]) {
            var conditions: [String] = []
            var arguments: [any SQLBindable] = []
            if let since { conditions.append("at >= ?"); arguments.append(since) }
            if let until { conditions.append("at < ?"); arguments.append(until) }
            if let caller { conditions.append("caller = ?"); arguments.append(caller) }
            if let action { conditions.append("action = ?"); arguments.append(action.rawValue) }
            return (conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND "), arguments)
        }
    }

    /// Up to `limit` events matching `filter` after event `afterID`, oldest first: the export, a page at a time.
    package func page(_ filter: Filter, after afterID: Int64, limit: Int) async throws -> [AccessEvent] {
        let (conditions, arguments) = filter.conditions()
        return try await database.read { db in
            try await db.query(
                "SELECT * FROM access_event WHERE id > ? AND \(conditions) ORDER BY id LIMIT ?", [afterID as any SQLBindable] + arguments + [limit as any SQLBindable]
            ).map { try $0.decode(AccessEvent.self) }
        }
    }

    /// The latest `limit` events matching `filter`, newest first: the admin page.
    package func latest(_ filter: Filter, limit: Int) async throws -> [AccessEvent] {
        let (conditions, arguments) = filter.conditions()
        return try await database.read { db in
            try await db.query("SELECT * FROM access_event WHERE \(conditions) ORDER BY id DESC LIMIT ?", arguments + [limit as any SQLBindable])
                .map { try $0.decode(AccessEvent.self) }
        }
    }

    /// Deletes events older than `date` (the retention rule, the only delete there is); returns how many.
    @discardableResult
    package func deleteOlder(than date: Date) async throws -> Int {
        try await database.write { db in
            if db.dialect == .postgres {
                // Lets the append-only trigger pass this transaction's deletes (v17).
                _ = try await db.query("SELECT set_config('loanrisk.access_retention', 'on', true)")
            }
            return try await db.query("DELETE FROM access_event WHERE at < ? RETURNING id", [date]).count
        }
    }
}
