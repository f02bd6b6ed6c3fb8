import Foundation
import Logging

/// Opens the application's database: PostgreSQL when a URL is given (`DATABASE_URL`), else
/// the SQLite file (the embedded default). Either is migrated before the server starts.
public enum AppDatabase {
    public static func open(url: String?, sqlitePath: String, logger: Logger) async throws -> any SQLDatabase {
        if let url {
            return try await PostgresDatabase.connect(url: url, logger: logger)
        }
        return try SQLiteDatabase.open(path: sqlitePath)
    }
}
