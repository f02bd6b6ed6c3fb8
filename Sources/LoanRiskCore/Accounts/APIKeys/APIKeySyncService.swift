import Foundation
import LoanRiskStorage
import Logging
import ServiceLifecycle

/// Keeps this instance's `APIKeyRing` in step with the database: loads it at start, then
/// once a second reads `api_key_state.revision` (one row by its primary key) and reloads
/// the keys when another instance or `loanrisk keys` changed them, so a revocation holds on
/// every instance within about a second; and writes the keys' last uses.
package struct APIKeySyncService: Service {
    package let ring: APIKeyRing
    package let logger: Logger
    package var interval: Duration = .seconds(1)

    package func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await ring.refresh()
                    try await ring.flushUse()
                } catch is CancellationError {
                    break
                } catch is DatabaseUnavailable {
                    // An outage: the storage layer logs it; the keys loaded last stay in force.
                } catch {
                    logger.error("api keys: could not read the keys", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        try? await ring.flushUse()
    }
}
