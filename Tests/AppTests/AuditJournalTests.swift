import Foundation
import Logging
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The audit journal (where answers' records wait while the database cannot take them) and
/// the audit log's fall-back to it, on the test's real database (SQLite, or PostgreSQL with
/// `LOANRISK_TEST_DATABASE_URL`) and real files.
@Suite(.sharingTheCores) struct AuditJournalTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("loanrisk-journal-\(UUID().uuidString)")
    }

    static func records(_ requestID: String, count: Int) -> [AuditRecord] {
        (1...count).map { row in
            AuditRecord(at: Date(), requestID: requestID, channel: .api, rowNumber: row, applicantID: row == 1 ? "A-\(row)" : nil,
                        modelName: "m", modelVersion: "1", modelSha256: "s", probability: 0.125, decision: "approve", score: 700,
                        reasonCodes: "int_rate;dti")
        }
    }

    @Test func journaledRecordsAreReplayedOnceHoweverOftenTheReplayRuns() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        let store = AuditStore(database: database)
        let journal = AuditJournal(directory: Self.folder(), database: "one")
        let first = Self.records("req-1", count: 2)
        let second = Self.records("req-2", count: 1)
        try await journal.append(first)
        try await journal.append(second)

        let waiting = try await journal.takeWaiting()
        #expect(waiting.count == 1)
        let records = waiting.flatMap(\.records)
        // Read back exactly as written, times to the bit.
        #expect(records == first + second)
        #expect(try await store.appendMissing(records) == 3)
        // The same file again (a crash between the commit and the file's removal): nothing added.
        #expect(try await store.appendMissing(records) == 0)
        // Part of it already in the log (a write that committed after its deadline): the rest only.
        try await store.append(Self.records("req-3", count: 2).prefix(1).map { $0 })
        #expect(try await store.appendMissing(Self.records("req-3", count: 2)) == 1)
        for file in waiting { await journal.remove(file.file) }
        #expect(try await journal.takeWaiting().isEmpty)
        #expect(!journal.holdsRecords)

        let stored = try await store.page(.init(), after: 0, limit: 100)
        #expect(stored.map(\.requestID) == ["req-1", "req-1", "req-2", "req-3", "req-3"])
        #expect(stored.map(\.rowNumber) == [1, 2, 1, 1, 2])
        #expect(stored.first?.applicantID == "A-1")
        #expect(stored.first?.reasonCodes == "int_rate;dti")
    }

    @Test func anotherInstancesFileIsTakenOverOnlyOnceItStoppedAndItsTornLastLineIsIgnored() async throws {
        let folder = Self.folder()
        let running = AuditJournal(directory: folder, database: "shared")
        try await running.append(Self.records("live", count: 1))
        // A second instance of the same database on the same disk: the first one's file is locked.
        let other = AuditJournal(directory: folder, database: "shared")
        #expect(try await other.takeWaiting().isEmpty)

        // A stopped instance's file, its last line cut short by the crash.
        let complete = Self.records("crashed", count: 2)
        var bytes = try JournalFile.lines(complete)
        let torn = try JournalFile.lines(Self.records("torn", count: 1))
        bytes += torn.prefix(torn.count / 2)
        try Data(bytes).write(to: folder.appendingPathComponent(other.prefix + "stopped.journal"))
        // And one of another database, in the same folder.
        let elsewhere = AuditJournal(directory: folder, database: "another")
        try Data(try JournalFile.lines(Self.records("elsewhere", count: 1))).write(to: folder.appendingPathComponent(elsewhere.prefix + "x.journal"))

        let taken = try await other.takeWaiting()
        #expect(taken.count == 1)
        #expect(taken.first?.records == complete)
        #expect(taken.first?.unreadable == 0)
        // Held now by the instance that took it: no one else takes it meanwhile.
        #expect(try await AuditJournal(directory: folder, database: "shared").takeWaiting().isEmpty)
        // Its own file, to the instance that wrote it.
        #expect(try await running.takeWaiting().flatMap(\.records).map(\.requestID) == ["live"])
    }

    /// A database that holds its writes past the deadline: the answers still leave, their
    /// records journaled; once it lets go, each record is in the log exactly once — whether it
    /// came from the write that was overdue or from the replay.
    @Test func aDatabaseThatDoesNotAnswerInTimeLeavesEveryRecordOnceAfterItReturns() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        let store = AuditStore(database: database)
        let journal = AuditJournal(directory: Self.folder(), database: "slow")
        let log = AuditLog(store: store, journal: journal, logger: Logger(label: "test"), deadline: .milliseconds(200), replayInterval: .milliseconds(50))
        let service = Task { try await log.run() }
        defer { service.cancel() }

        let (held, holding) = AsyncStream.makeStream(of: Void.self)
        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        let blocker = Task {
            try await database.write { db in
                // SQLite: this transaction holds the one writer. PostgreSQL: the table's lock.
                if db.dialect == .postgres { try await db.execute("LOCK TABLE audit_record IN ACCESS EXCLUSIVE MODE") }
                holding.yield()
                for await _ in release { break }
            }
        }
        for await _ in held { break }

        try await log.record(Self.records("overdue", count: 3))  // waits for its deadline, then journals
        #expect(journal.holdsRecords)
        try await log.record(Self.records("journaled", count: 2))  // straight to the journal
        releasing.yield()
        try await blocker.value

        let stored = try await Eventually.poll({ try await store.page(.init(), after: 0, limit: 100) }, until: { $0.count >= 5 && !journal.holdsRecords })
        #expect(stored.count == 5)
        #expect(Set(stored.map { "\($0.requestID)/\($0.rowNumber ?? 0)" }).count == 5)
        #expect(!journal.holdsRecords)
    }

    @Test func recordReturnsOnceItsRecordsAreCommitted() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        let store = AuditStore(database: database)
        let journal = AuditJournal(directory: Self.folder(), database: "direct")
        // A deadline no busy machine reaches: every group goes to the database.
        let log = AuditLog(store: store, journal: journal, logger: Logger(label: "test"), deadline: .seconds(3_600))
        let service = Task { try await log.run() }
        defer { service.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for request in 0..<20 {
                group.addTask {
                    try await log.record(Self.records("r\(request)", count: 2))
                    // Read at once, no waiting.
                    #expect(try await store.page(.init(requestID: "r\(request)"), after: 0, limit: 10).count == 2)
                }
            }
            try await group.waitForAll()
        }
        #expect(!journal.holdsRecords)
    }

    @Test func aRecordNeitherCommittedNorJournaledRefusesItsRequest() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        // A journal folder that cannot be made: under a file.
        let file = Self.folder()
        try Data().write(to: file)
        let journal = AuditJournal(directory: file.appendingPathComponent("journal"), database: "nowhere")
        let log = AuditLog(store: AuditStore(database: database), journal: journal, logger: Logger(label: "test"), deadline: .milliseconds(200))
        let service = Task { try await log.run() }
        defer { service.cancel() }

        let (held, holding) = AsyncStream.makeStream(of: Void.self)
        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        let blocker = Task {
            try await database.write { db in
                if db.dialect == .postgres { try await db.execute("LOCK TABLE audit_record IN ACCESS EXCLUSIVE MODE") }
                holding.yield()
                for await _ in release { break }
            }
        }
        for await _ in held { break }
        await #expect(throws: AuditUnavailable.self) { try await log.record(Self.records("refused", count: 1)) }
        releasing.yield()
        try await blocker.value
    }
}
