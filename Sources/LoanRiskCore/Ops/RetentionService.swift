import Foundation
import Logging
import ServiceLifecycle

/// Deletes batches (with their rows and uploaded files) and the form's stored decisions older
/// than the retention period, shadow pairs older than theirs (`SHADOW_RETENTION_DAYS`), access
/// events older than theirs (`ACCESS_LOG_RETENTION_DAYS`), and
/// audit records and analysts' decisions on review cases (credit decisions, `ReviewStore`)
/// older than theirs, at start-up and then every hour, until the server shuts
/// down. The two periods are independent: uploads hold applicants' data and go within days;
/// the audit log holds none and is kept as long as the regulator asks — as is monitoring's
/// history (traffic counts, drift snapshots and events: no applicant data either).
package struct RetentionService: Service {
    package let store: BatchStore
    package let applicants: ApplicantDecisionStore
    package let retentionDays: Int
    package let audit: AuditStore
    package let auditRetentionDays: Int
    /// Analysts' decisions: kept as long as the audit log, whatever became of their batch.
    package let reviews: ReviewStore
    package let monitor: MonitorStore
    /// The access log, kept `ACCESS_LOG_RETENTION_DAYS` (nil: not purged here).
    package var accessLog: AccessLogStore? = nil
    package var accessRetentionDays = 400
    /// Champion/challenger pairs, kept `SHADOW_RETENTION_DAYS` (nil: not purged here).
    package var shadow: ShadowStore? = nil
    package var shadowRetentionDays = 7
    package let logger: Logger

    package func run() async throws {
        // Stop sleeping as soon as the server begins a graceful shutdown (SIGTERM).
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await purge()
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }

    package func purge(now: Date = Date()) async {
        let cutoff = now.addingTimeInterval(-Double(retentionDays) * 86_400)
        do {
            let deleted = try await store.deleteCreated(before: cutoff)
            if deleted > 0 { logger.info("retention: deleted old batches", metadata: ["count": .stringConvertible(deleted), "days": .stringConvertible(retentionDays)]) }
        } catch is CancellationError {
            return  // shutting down: the next start purges
        } catch {
            logger.error("retention: could not delete old batches", metadata: ["error": .string("\(error)")])
        }
        do {
            let deleted = try await applicants.deleteCreated(before: cutoff)
            if deleted > 0 { logger.info("retention: deleted old form decisions", metadata: ["count": .stringConvertible(deleted), "days": .stringConvertible(retentionDays)]) }
        } catch is CancellationError {
            return  // shutting down: the next start purges
        } catch {
            logger.error("retention: could not delete old form decisions", metadata: ["error": .string("\(error)")])
        }
        do {
            let deleted = try await audit.deleteOlder(than: now.addingTimeInterval(-Double(auditRetentionDays) * 86_400))
            if deleted > 0 { logger.info("retention: deleted old audit records", metadata: ["count": .stringConvertible(deleted), "days": .stringConvertible(auditRetentionDays)]) }
        } catch is CancellationError {
            return  // shutting down: the next start purges
        } catch {
            logger.error("retention: could not delete old audit records", metadata: ["error": .string("\(error)")])
        }
        do {
            let deleted = try await reviews.deleteDecided(before: now.addingTimeInterval(-Double(auditRetentionDays) * 86_400))
            if deleted > 0 { logger.info("retention: deleted old review decisions", metadata: ["count": .stringConvertible(deleted), "days": .stringConvertible(auditRetentionDays)]) }
        } catch is CancellationError {
            return  // shutting down: the next start purges
        } catch {
            logger.error("retention: could not delete old review decisions", metadata: ["error": .string("\(error)")])
        }
        if let shadow {
            do {
                let deleted = try await shadow.deleteOlder(than: now.addingTimeInterval(-Double(shadowRetentionDays) * 86_400))
                if deleted > 0 { logger.info("retention: deleted old shadow pairs", metadata: ["count": .stringConvertible(deleted), "days": .stringConvertible(shadowRetentionDays)]) }
            } catch is CancellationError {
                return  // shutting down: the next start purges
            } catch {
                logger.error("retention: could not delete old shadow pairs", metadata: ["error": .string("\(error)")])
            }
        }
        if let accessLog {
            do {
                let deleted = try await accessLog.deleteOlder(than: now.addingTimeInterval(-Double(accessRetentionDays) * 86_400))
                if deleted > 0 { logger.info("retention: deleted old access events", metadata: ["count": .stringConvertible(deleted), "days": .stringConvertible(accessRetentionDays)]) }
            } catch is CancellationError {
                return  // shutting down: the next start purges
            } catch {
                logger.error("retention: could not delete old access events", metadata: ["error": .string("\(error)")])
            }
        }
        do {
            try await monitor.deleteOlder(than: now.addingTimeInterval(-Double(auditRetentionDays) * 86_400))
        } catch is CancellationError {
            return  // shutting down: the next start purges
        } catch {
            logger.error("retention: could not delete old monitoring history", metadata: ["error": .string("\(error)")])
        }
    }
}
