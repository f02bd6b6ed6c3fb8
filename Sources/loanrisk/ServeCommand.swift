import App
import LoanRiskCore
import LoanRiskStorage
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import LoanRiskHTTP

/// `loanrisk serve`: the web application and API. Settings come from the environment
/// (PORT, HOST, DATABASE_PATH, MODEL, MAX_UPLOAD_MB, RETENTION_DAYS, LOG_LEVEL, LOANRISK_ROOT);
/// the options below override them.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web application.",
        discussion: "Reads PORT, HOST, DATABASE_PATH, MODEL, MAX_UPLOAD_MB, RETENTION_DAYS, LOG_LEVEL and LOANRISK_ROOT from the environment."
    )

    @Option(help: "Address to listen on (default: $HOST or 127.0.0.1).")
    var hostname: String?

    @Option(help: "Port to listen on (default: $PORT or 8080).")
    var port: Int?

    @Option(help: "Folder with Views/, Public/ and Data/ (default: $LOANRISK_ROOT or the working directory).")
    var root: String?

    func run() async throws {
        var configuration: AppConfiguration
        do {
            configuration = try AppConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("loanrisk: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if let hostname { configuration.hostname = hostname }
        if let port { configuration.port = port }
        if let root { configuration.root = URL(fileURLWithPath: root) }
        do {
            // The drain runs after the application in one group, so SIGTERM reaches it first:
            // readiness turns 503, the server keeps serving for the drain, then stops.
            let drain = ShutdownDrain(seconds: Double(configuration.shutdownDrainSeconds))
            let app = try await buildApplication(configuration: configuration, drain: drain)
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: app), .init(service: drain)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "loanrisk")))
            try await group.run()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("loanrisk: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
