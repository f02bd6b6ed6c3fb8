import Foundation
import Logging
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// What an operator reads when PostgreSQL refuses something: PostgreSQL's own message and
/// SQLSTATE (postgres-nio alone prints "Generic description to prevent accidental leakage…"),
/// never the connection string or its password, never a row's values.
@Suite(.sharingTheCores) struct PostgresErrorTests {
    /// The test database's URL with a password in it (trust authentication ignores it), so
    /// that its absence from every message means something.
    static let password = "hunter2-never-shown"

    static func urlWithPassword() -> String? {
        guard let url = TestApp.postgresURL(), var parts = URLComponents(string: url) else { return nil }
        parts.password = password
        return parts.string
    }

    @Test(.enabled(if: TestApp.postgresURL() != nil, "needs LOANRISK_TEST_DATABASE_URL"))
    func aRefusedStatementSaysWhatPostgreSQLSaidWithItsSQLSTATE() async throws {
        let url = try #require(Self.urlWithPassword())
        let database = try await PostgresDatabase.connect(url: url, logger: Logger(label: "test"))
        try await database.write { db in
            try await db.execute("CREATE TABLE pair (id BIGINT PRIMARY KEY)")
            try await db.execute("INSERT INTO pair (id) VALUES (1)")
        }
        let duplicate = await #expect(throws: PostgresFailure.self) {
            try await database.write { db in try await db.execute("INSERT INTO pair (id) VALUES (?)", [Int64(1)]) }
        }
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.description == #"PostgreSQL: duplicate key value violates unique constraint "pair_pkey" (SQLSTATE 23505). Key (id)=(1) already exists."#)

        let syntax = await #expect(throws: PostgresFailure.self) { try await database.read { db in try await db.query("SELEC 1") } }
        #expect(syntax?.description == #"PostgreSQL: syntax error at or near "SELEC" (SQLSTATE 42601)"#)
        #expect(syntax?.meansUnavailable == false)

        // Through the registry, as the CLI and the admin API show it: the words, not the row
        // (a failing row's detail would hold the whole model file).
        try await database.write { db in try await db.execute("ALTER TABLE model_version ADD CONSTRAINT frozen CHECK (false) NOT VALID") }
        let record = try ModelLifecycle.record(for: ModelLifecycle.Files(location: TestApp.goldenModel, name: "frozen"), actor: "test")
        let refused = await #expect(throws: LifecycleError.self) { try await RegistryStore(database: database).register(record) }
        #expect(refused?.kind == .storage)
        #expect(refused?.message == #"The version could not be stored: PostgreSQL: new row for relation "model_version" violates check constraint "frozen" (SQLSTATE 23514)"#)

        for text in [duplicate?.description, syntax?.description, refused?.message].compactMap({ $0 }) {
            #expect(!text.contains(Self.password) && !text.contains("postgres://") && !text.contains("Generic description"), "\(text)")
        }
        await database.close()
    }
}
