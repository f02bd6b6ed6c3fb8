import Foundation
import Logging

/// Opens the application's database: PostgreSQL when `DATABASE_URL` is set, else the SQLite
/// file (the embedded default). Either is migrated before the server starts.
public enum AppDatabase {
    public static func open(configuration: AppConfiguration, logger: Logger) async throws -> any SQLDatabase {
        if let url = configuration.databaseURL {
            return try await PostgresDatabase.connect(url: url, logger: logger)
        }
        return try SQLiteDatabase.open(path: configuration.resolvedDatabasePath)
    }
}
