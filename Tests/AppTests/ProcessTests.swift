import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The real executable beside a server: `loanrisk models` against a running server's
/// database, and `loanrisk serve` killed with SIGKILL in the middle of uploads.
@Suite(.sharingTheCores) struct ProcessTests {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loanrisk")
    }

    /// Runs `loanrisk` with `arguments` on the configuration's database (`--database` for a
    /// SQLite file, `DATABASE_URL` for PostgreSQL); returns its status and output.
    static func cli(_ arguments: [String], on configuration: AppConfiguration) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = configuration.databaseURL
        process.environment = environment
        process.arguments = arguments + (configuration.databaseURL == nil ? ["--database", configuration.resolvedDatabasePath] : [])
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-variant-\(UUID().uuidString)")
        try ModelVariants.lendingClub(version: "1.1.0").write(to: folder)
        try await TestApp.make(configuration).test(.live) { client in
            #expect(try await RegistryTests.predict(client).version == "2.1.0")
            // The server polls the registry every second; how soon a change serves is measured
            // by `bench/pickup.sh`. Here the change must arrive at all.
            func served(_ version: String) async throws -> Bool {
                try await Eventually.poll(every: .milliseconds(50), { try await RegistryTests.predict(client).version }, until: { $0 == version }) == version
            }

            let registered = try Self.cli(["models", "register", folder.path, "--promote"], on: configuration)
            #expect(registered.status == 0, "\(registered.output)")
            #expect(registered.output.contains("registered lending-club 1.1.0"))
            #expect(registered.output.contains("lending-club champion: 2.1.0 → 1.1.0"))
            #expect(try await served("1.1.0"))

            let listed = try Self.cli(["models", "list"], on: configuration)
            let line = try #require(listed.output.split(separator: "\n").first { $0.hasPrefix("lending-club") && $0.contains("1.1.0") })
            #expect(line.contains("champion") && line.contains("cli:"))

            let rolledBack = try Self.cli(["models", "rollback", "lending-club"], on: configuration)
            #expect(rolledBack.status == 0, "\(rolledBack.output)")
            #expect(try await served("2.1.0"))

            let unknown = try Self.cli(["models", "promote", "lending-club", "9.9"], on: configuration)
            #expect(unknown.status == 1)
            #expect(unknown.output.contains("There is no version 9.9 of lending-club."))
            let challenger = try Self.cli(["models", "promote", "lending-club", "1.1.0", "--alias", "challenger"], on: configuration)
            #expect(challenger.status == 0, "\(challenger.output)")
            let history = try Self.cli(["models", "history", "lending-club"], on: configuration)
            #expect(history.output.split(separator: "\n").count == 4, "\(history.output)")
            #expect(try Self.cli(["models", "clear-challenger", "lending-club"], on: configuration).output.contains("cleared"))
            #expect(try Self.cli(["models", "remove", "lending-club", "2.1.0"], on: configuration).status == 1)
        }
    }

    /// A `loanrisk serve` process on a free loopback port.
    struct Server {
        let process: Process
        let port: Int

        static func start(_ configuration: AppConfiguration) throws -> Server {
            let port = Int.random(in: 20_000...40_000)
            let process = Process()
            process.executableURL = ProcessTests.executable
            process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(port), "--root", TestApp.root.path]
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_PATH"] = configuration.resolvedDatabasePath
            environment["DATABASE_URL"] = configuration.databaseURL
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
            // A cap, not a bound: a debug build sharing two cores with the suite starts slowly.
            for _ in 0..<1_200 {
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
    static func upload(_ csv: Data, to server: Server, session: String) async -> Int? {
        var first = URLRequest(url: server.url("/"))
        first.setValue("\(SessionCookie.plainName)=\(session)", forHTTPHeaderField: "Cookie")
        guard let (page, response) = try? await Self.http.data(for: first),
              let csrf = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first,
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
        request.setValue("\(csrf); \(SessionCookie.plainName)=\(session)", forHTTPHeaderField: "Cookie")
        request.httpBody = body
        return ((try? await Self.http.data(for: request))?.1 as? HTTPURLResponse)?.statusCode
    }

    @Test func aKilledServerLeavesNoBatchWithoutItsAuditRecords() async throws {
        let configuration = TestApp.configuration()
        // The sample, 60 times over: about 18,000 applicants, a second or so to score and store.
        let sample = try String(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"), encoding: .utf8)
        var lines = sample.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst()
        let csv = Data(([header] + Array(repeating: lines, count: 60).flatMap { $0 }).joined(separator: "\n").utf8 + [0x0A])

        var completed = 0
        var session: String?
        for delay in [0.2, 0.5, 0.8, 1.1, 1.5] {
            let server = try Server.start(configuration)
            try await server.waitUntilReady()
            // A real account's session, kept in the database across the kills.
            if session == nil { session = try await TestApp.signIn(TestApp.account, configuration: configuration) }
            let session = try #require(session)
            // One upload finishes, then another is cut short by SIGKILL `delay` seconds in.
            if await Self.upload(csv, to: server, session: session) == 200 { completed += 1 }
            async let cut = Self.upload(csv, to: server, session: session)
            try await Task.sleep(for: .seconds(delay))
            server.kill()
            if await cut == 200 { completed += 1 }
        }
        // After the last kill: every batch has exactly one record per scored row, and every
        // batch record has its batch.
        let database = try await TestApp.database(configuration)
        let (batches, orphans) = try await database.read { db in
            let batches = try await db.query("""
                SELECT b.id, b.valid_count, (SELECT SUM(a.record_count) FROM audit_batch a WHERE a.batch_id = b.id) AS audited
                FROM batch b
                """)
            let orphans = try await db.scalar("""
                SELECT COUNT(*) FROM audit_batch a WHERE NOT EXISTS (SELECT 1 FROM batch b WHERE b.id = a.batch_id)
                """, as: Int.self) ?? 0
            return (batches, orphans)
        }
        #expect(batches.count >= 5, "each round's first upload finished")
        #expect(completed >= 5 && completed < 10, "\(completed) of 10 uploads finished: some must have been cut short")
        for batch in batches {
            let valid: Int = try batch.get("valid_count")
            let audited: Int = try batch.get("audited") ?? 0
            let id: String = try batch.get("id")
            #expect(valid == audited, "batch \(id): \(valid) scored rows, \(audited) audit records")
        }
        #expect(orphans == 0)
    }
}
