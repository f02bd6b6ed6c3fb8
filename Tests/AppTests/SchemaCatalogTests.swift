import Foundation
import Logging
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The schema is written once with both dialects side by side (`SchemaMigrations`); this
/// checks that the two dialects say the same thing, as each engine's catalog reads it back.
@Suite(.sharingTheCores) struct SchemaCatalogTests {
    @Test(.enabled(if: TestApp.postgresURL() != nil, "needs LOANRISK_TEST_DATABASE_URL"))
    func bothEnginesMigratedFromEmptyHoldTheSameTablesColumnsKeysAndIndexes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loanrisk-schema-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try SQLiteDatabase.open(path: folder.appendingPathComponent("loanrisk.sqlite").path)
        let url = try #require(TestApp.postgresURL())  // a schema of its own, empty
        let postgres = try await PostgresDatabase.connect(url: url, logger: Logger(label: "test"))
        let fromSQLite = try await SchemaCatalog.read(sqlite)
        let fromPostgres = try await SchemaCatalog.read(postgres)
        await postgres.close()

        // The catalogs were read at all: every table of the first and the last migration.
        for table in ["batch", "batch_row", "batch_file", "batch_row_cells"] {
            #expect(fromSQLite.tables[table] != nil && fromPostgres.tables[table] != nil, "table \(table)")
        }
        #expect(fromSQLite.tables["batch"]?.columns.count == 21, "v15 added team_id")
        let differences = fromSQLite.differences(from: fromPostgres, names: ("SQLite", "PostgreSQL"))
        for difference in differences { Issue.record("\(difference)") }
    }
}
