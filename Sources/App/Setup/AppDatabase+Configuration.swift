import LoanRiskStorage
import Logging

extension AppDatabase {
    /// The database the configuration names: `DATABASE_URL`, else the SQLite file.
    public static func open(configuration: AppConfiguration, logger: Logger) async throws -> any SQLDatabase {
        try await open(url: configuration.databaseURL, sqlitePath: configuration.resolvedDatabasePath, logger: logger)
    }
}
