import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

import GRDB

@testable import App

/// The real executable beside a server: `loanrisk models` against a running server's
/// database, and `loanrisk serve` killed with SIGKILL in the middle of uploads.
@Suite struct ProcessTests {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loanrisk")
    }

    /// Runs `loanrisk` with `arguments`; returns its status and output.
    static func cli(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func theCLIsChangesReachARunningServer() async throws {
        let configuration = TestApp.configuration()
        let database = try #require(configuration.databasePath)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-variant-\(UUID().uuidString)")
        try ModelVariants.lendingClub(version: "1.1.0").write(to: folder)
        try await TestApp.make(configuration).test(.live) { client in
            #expect(try await RegistryTests.predict(client).version == "1.0.0")
            // The server polls the registry every second; how soon a change serves is measured
            // by `bench/pickup.sh`. Here the change must arrive at all: the minute is only a cap
            // so that a server which never picks it up fails instead of hanging.
            func served(_ version: String) async throws -> Bool {
                let clock = ContinuousClock()
                let start = clock.now
                while clock.now - start < .seconds(60) {
                    if try await RegistryTests.predict(client).version == version { return true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return false
            }

            let registered = try Self.cli(["models", "register", folder.path, "--promote", "--database", database])
            #expect(registered.status == 0, "\(registered.output)")
            #expect(registered.output.contains("registered lending-club 1.1.0"))
            #expect(registered.output.contains("lending-club champion: 1.0.0 → 1.1.0"))
            #expect(try await served("1.1.0"))

            let listed = try Self.cli(["models", "list", "--database", database])
            let line = try #require(listed.output.split(separator: "\n").first { $0.hasPrefix("lending-club") && $0.contains("1.1.0") })
            #expect(line.contains("champion") && line.contains("cli:"))

            let rolledBack = try Self.cli(["models", "rollback", "lending-club", "--database", database])
            #expect(rolledBack.status == 0, "\(rolledBack.output)")
            #expect(try await served("1.0.0"))

            let unknown = try Self.cli(["models", "promote", "lending-club", "9.9", "--database", database])
            #expect(unknown.status == 1)
            #expect(unknown.output.contains("There is no version 9.9 of lending-club."))
            let challenger = try Self.cli(["models", "promote", "lending-club", "1.1.0", "--alias", "challenger", "--database", database])
            #expect(challenger.status == 0, "\(challenger.output)")
            let history = try Self.cli(["models", "history", "lending-club", "--database", database])
            #expect(history.output.split(separator: "\n").count == 4)
            #expect(try Self.cli(["models", "clear-challenger", "lending-club", "--database", database]).output.contains("cleared"))
            #expect(try Self.cli(["models", "remove", "lending-club", "1.0.0", "--database", database]).status == 1)
        }
    }

    /// A `loanrisk serve` process on a free loopback port.
    struct Server {
        let process: Process
        let port: Int

        static func start(database: String) throws -> Server {
            let port = Int.random(in: 20_000...40_000)
            let process = Process()
            process.executableURL = ProcessTests.executable
            process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(port), "--root", TestApp.root.path]
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_PATH"] = database
            environment["ADMIN_TOKEN"] = TestApp.adminToken
            environment["LOG_LEVEL"] = "error"
            environment["MAX_UPLOAD_MB"] = "50"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return Server(process: process, port: port)
        }

        func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

        func waitUntilReady() async throws {
            for _ in 0..<300 {
                if let (_, response) = try? await ProcessTests.http.data(from: url("/readyz")), (response as? HTTPURLResponse)?.statusCode == 200 { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the server did not become ready")
        }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A client that keeps no cookies: each upload carries its own, as a new browser would.
    static let http: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    /// Posts `csv` as the upload form does (cookie and CSRF token first); nil when the
    /// connection died first.
    static func upload(_ csv: Data, to server: Server) async -> Int? {
        guard let (page, response) = try? await Self.http.data(from: server.url("/")),
              let cookie = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first,
              let token = Session.formToken(in: String(decoding: page, as: UTF8.self)) else { return nil }
        let boundary = "----kill-test"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(token)\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nlending-club\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += csv
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var request = URLRequest(url: server.url("/batches"))
        request.httpMethod = "POST"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.setValue(String(cookie), forHTTPHeaderField: "Cookie")
        request.httpBody = body
        return ((try? await Self.http.data(for: request))?.1 as? HTTPURLResponse)?.statusCode
    }

    @Test func aKilledServerLeavesNoBatchWithoutItsAuditRecords() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("loanrisk.sqlite").path
        // The sample, 60 times over: about 18,000 applicants, a second or so to score and store.
        let sample = try String(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"), encoding: .utf8)
        var lines = sample.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst()
        let csv = Data(([header] + Array(repeating: lines, count: 60).flatMap { $0 }).joined(separator: "\n").utf8 + [0x0A])

        var completed = 0
        for delay in [0.2, 0.5, 0.8, 1.1, 1.5] {
            let server = try Server.start(database: database)
            try await server.waitUntilReady()
            // One upload finishes, then another is cut short by SIGKILL `delay` seconds in.
            if await Self.upload(csv, to: server) == 200 { completed += 1 }
            async let cut = Self.upload(csv, to: server)
            try await Task.sleep(for: .seconds(delay))
            server.kill()
            if await cut == 200 { completed += 1 }
        }
        // After the last kill: every batch has exactly one record per scored row, and every
        // batch record has its batch.
        let db = try AppDatabase.open(path: database)
        let (batches, orphans) = try db.writer.read { db in
            let batches = try Row.fetchAll(db, sql: """
                SELECT b.id, b.valid_count, (SELECT SUM(a.record_count) FROM audit_batch a WHERE a.batch_id = b.id) AS audited
                FROM batch b
                """)
            let orphans = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM audit_batch a WHERE NOT EXISTS (SELECT 1 FROM batch b WHERE b.id = a.batch_id)
                """) ?? 0
            return (batches, orphans)
        }
        #expect(batches.count >= 5, "each round's first upload finished")
        #expect(completed >= 5 && completed < 10, "\(completed) of 10 uploads finished: some must have been cut short")
        for batch in batches {
            let valid: Int = batch["valid_count"]
            let audited: Int = batch["audited"] ?? 0
            #expect(valid == audited, "batch \(batch["id"] as String? ?? ""): \(valid) scored rows, \(audited) audit records")
        }
        #expect(orphans == 0)
    }
}
