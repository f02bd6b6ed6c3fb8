import Foundation
import Logging
import GRDB
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The storage protocol's pieces that both engines rely on, and its refusals. The stores
/// themselves are exercised by the whole suite, which `.ci/run` runs on each engine.
@Suite(.sharingTheCores) struct StorageTests {
    @Test func aDatabaseMigratedByANewerLoanRiskIsRefusedWithAMessage() async throws {
        let configuration = TestApp.configuration()
        let database = try await TestApp.database(configuration)
        try await database.write { db in
            switch db.dialect {
            case .sqlite: try await db.execute("INSERT INTO grdb_migrations (identifier) VALUES (?)", ["v99: from the future"])
            case .postgres: try await db.execute("INSERT INTO schema_migration (identifier, applied_at) VALUES (?, ?)", ["v99: from the future", Date()])
            }
        }
        await database.close()
        do {
            _ = try await AppDatabase.open(configuration: configuration, logger: Logger(label: "test"))
            Issue.record("a newer schema was accepted")
        } catch let error as SQLError {
            #expect("\(error)".contains("migrated by a newer LoanRisk"))
            #expect("\(error)".contains("v99: from the future"))
        }
        // The server says the same and does not start.
        await #expect(throws: SQLError.self) { _ = try await buildApplication(configuration: configuration) }
    }

    @Test func recordsRoundTripThroughEitherEngineByTheirCodingKeys() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        let at = Date(timeIntervalSince1970: 1_764_590_400.25)
        let records = [
            AuditRecord(at: at, requestID: "r1", channel: .oip, rowNumber: 3, applicantID: "a'b", modelName: "m", modelVersion: "1",
                        modelSha256: "s", probability: 0.1 + 0.2, decision: "approve", score: 700, reasonCodes: "x;y"),
            AuditRecord(at: at, requestID: "r2", channel: .form, rowNumber: nil, applicantID: nil, modelName: "m", modelVersion: "1",
                        modelSha256: "s", probability: nil, decision: nil, score: nil, reasonCodes: nil),
        ]
        try await AuditStore(database: database).append(records)
        let read = try await AuditStore(database: database).page(.init(), after: 0, limit: 10)
        #expect(read.map(\.requestID) == ["r1", "r2"])
        #expect(read[0].probability == 0.1 + 0.2, "doubles bit for bit")
        #expect(read[0].channel == .oip && read[0].applicantID == "a'b" && read[0].rowNumber == 3)
        #expect(read[1].probability == nil && read[1].rowNumber == nil && read[1].reasonCodes == nil)
        #expect(abs(read[0].at.timeIntervalSince(at)) < 0.001)
    }

    @Test func aFailedTransactionLeavesNothingAndTheNextOneWorks() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        struct Planned: Error {}
        await #expect(throws: Planned.self) {
            try await database.write { db in
                try await db.execute("UPDATE registry_state SET generation = generation + 100 WHERE id = 1")
                throw Planned()
            }
        }
        let generation = try await RegistryStore(database: database).generation()
        #expect(generation < 100)
        try await database.write { db in try await db.execute("UPDATE registry_state SET generation = generation + 1 WHERE id = 1") }
        #expect(try await RegistryStore(database: database).generation() == generation + 1)
    }

    @Test func sqliteDatesReadBackAsGRDBWroteThem() {
        #expect(SQLiteDateText.date(from: "1970-01-01 00:00:00.000") == Date(timeIntervalSince1970: 0))
        #expect(SQLiteDateText.date(from: "2026-12-01 14:00:36.250") == Date(timeIntervalSince1970: 1_796_133_636.25))
        #expect(SQLiteDateText.date(from: "2024-02-29T23:59:59") == Date(timeIntervalSince1970: 1_709_251_199))
        #expect(SQLiteDateText.date(from: "yesterday") == nil)
        #expect(SQLiteDateText.date(from: "2026-13-01 00:00:00") == nil)
    }

    /// The hand-written date text is GRDB's formatter's, over dates of every era and the
    /// millisecond edges where truncation and rounding part.
    @Test func sqliteDatesAreWrittenAsGRDBWritesThem() {
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005), Date(timeIntervalSince1970: 951_782_400.9996),
                     Date(timeIntervalSince1970: 1_709_251_199.999), Date(timeIntervalSince1970: -2_208_988_800.25), Date()]
        for _ in 0..<20_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -3_000_000_000...4_000_000_000, using: &generator)))
        }
        for date in dates {
            guard case .string(let grdb) = date.databaseValue.storage else {
                Issue.record("GRDB wrote \(date) as something else than text")
                continue
            }
            #expect(SQLiteDateText.text(from: date) == grdb, "\(date.timeIntervalSince1970)")
        }
    }

    @Test func placeholdersAreNumberedOutsideQuotedText() {
        #expect(PostgresPlaceholders.numbered("SELECT ? , '?', ? WHERE a = ?") == "SELECT $1 , '?', $2 WHERE a = $3")
    }

    @Test func databaseURLsThatCannotWorkAreRefusedSayingWhy() {
        func refusal(_ url: String) -> String? {
            do {
                _ = try PostgresURL.configuration(url)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal("mysql://u@h/db")?.contains("postgres://user:password@host:5432/database") == true)
        #expect(refusal("postgres://h/db")?.contains("names no user") == true)
        #expect(refusal("postgres://u@h/db?sslmode=sometimes")?.contains("sslmode=sometimes") == true)
        #expect(refusal("postgres://u@h/db?schema=Robert%27);DROP") != nil)
        #expect(refusal("postgres://u:p%40ss@db.internal:6543/loanrisk?sslmode=require&schema=loanrisk") == nil)
        // verify-full: the root file is read when the URL is; one that cannot be is named.
        #expect(refusal("postgres://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent/root.pem")?.contains("sslrootcert=/nonexistent/root.pem, which cannot be read") == true)
        let notPEM = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-root-\(UUID().uuidString).pem")
        try? Data("not a certificate".utf8).write(to: notPEM)
        defer { try? FileManager.default.removeItem(at: notPEM) }
        #expect(refusal("postgres://u@h/db?sslmode=verify-full&sslrootcert=\(notPEM.path)")?.contains("holds no PEM certificate") == true)
        #expect(refusal("postgres://u@h/db?sslmode=verify-full&sslrootcert=system") == nil)
        #expect(refusal("postgres://u@h/db?sslmode=verify-ca") == nil)
    }
}
