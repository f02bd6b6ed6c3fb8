import Foundation
import LoanRiskCore
import LoanRiskHTTP

extension ConnectionSettings {
    /// The connection settings from the environment (`IDLE_TIMEOUT_SECONDS` … `UPLOAD_SPOOL_DIR`).
    init(environment: [String: String]) throws(ConfigurationError) {
        self.init()
        if let text = environment["IDLE_TIMEOUT_SECONDS"] { idleTimeout = .seconds(try AppConfiguration.integer("IDLE_TIMEOUT_SECONDS", text, in: 1...3_600)) }
        if let text = environment["HEAD_TIMEOUT_SECONDS"] { headTimeout = .seconds(try AppConfiguration.integer("HEAD_TIMEOUT_SECONDS", text, in: 1...600)) }
        if let text = environment["BODY_TIMEOUT_SECONDS"] { bodyWindow = .seconds(try AppConfiguration.integer("BODY_TIMEOUT_SECONDS", text, in: 1...3_600)) }
        if let text = environment["BODY_MIN_BYTES_PER_SECOND"] {
            bodyMinimumRate = try AppConfiguration.integer("BODY_MIN_BYTES_PER_SECOND", text, in: 0...100_000_000)
        }
        if let text = environment["MAX_CONNECTIONS"] { maxConnections = try AppConfiguration.integer("MAX_CONNECTIONS", text, in: 1...1_000_000) }
        if let text = environment["EVENT_LOOP_THREADS"] { eventLoopThreads = try AppConfiguration.integer("EVENT_LOOP_THREADS", text, in: 1...256) }
        if let text = environment["MAX_HEADER_KB"] { maxHeaderBytes = try AppConfiguration.integer("MAX_HEADER_KB", text, in: 1...1_024) * 1_024 }
        if let path = environment["UPLOAD_SPOOL_DIR"], !path.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError("UPLOAD_SPOOL_DIR='\(path)' is not an existing folder.")
            }
            spoolDirectory = URL(fileURLWithPath: path)
        }
    }
}
