@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import Scoring
import Testing

/// Builds the real application over a real SQLite file in a temporary folder.
enum TestApp {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let goldenModel = root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/mixed_realistic/model.txt")
    static let goldenInput = root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/mixed_realistic/input.csv")

    /// The admin token every test app accepts (label `test`).
    static let adminToken = "test-token-0123456789abcdef"
    static var adminHeaders: HTTPFields { [.authorization: "Bearer \(adminToken)"] }
    /// The token `/metrics` asks for (`METRICS_TOKEN`), as Prometheus sends it.
    static let metricsToken = "metrics-token-0123456789abcdef"

    static func configuration(maxUploadMB: Int = 5, retentionDays: Int = 7) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.root = root
        configuration.port = 0
        configuration.model = goldenModel.path
        configuration.maxUploadMB = maxUploadMB
        configuration.retentionDays = retentionDays
        configuration.databasePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("loanrisk-test-\(UUID().uuidString)/loanrisk.sqlite").path
        configuration.databaseURL = postgresURL()
        configuration.logLevel = .warning
        configuration.adminTokens = [AdminToken(label: "test", secret: adminToken)]
        // bcrypt's cheapest cost: the tests check passwords, not the cost of guessing them.
        configuration.accounts.bcryptCost = 4
        configuration.accounts.metrics = .token(metricsToken)
        // HummingbirdTesting's live client keeps one connection and does not reconnect when the
        // server closes it idle; a test that waits on a CLI run longer than the 30 s default
        // lost it ("I/O on closed channel"). The idle timeout itself is tested in tests/hardening.
        configuration.connections.idleTimeout = .seconds(3_600)
        return configuration
    }

    /// With `LOANRISK_TEST_DATABASE_URL` set (`.ci/run`'s second pass, on a throwaway
    /// cluster), every test app lives in PostgreSQL, each in a schema of its own; else in a
    /// SQLite file of its own.
    static func postgresURL() -> String? {
        guard let base = ProcessInfo.processInfo.environment["LOANRISK_TEST_DATABASE_URL"], !base.isEmpty else { return nil }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return base + (base.contains("?") ? "&" : "?") + "schema=" + schema
    }

    /// The database a configuration names, opened (and migrated) as the server opens it.
    static func database(_ configuration: AppConfiguration) async throws -> any SQLDatabase {
        try await AppDatabase.open(configuration: configuration, logger: Logger(label: "test"))
    }

    static func make(_ configuration: AppConfiguration = configuration()) async throws -> SignedInApp<some ApplicationProtocol> {
        SignedInApp(inner: try await buildApplication(configuration: configuration), configuration: configuration, database: nil)
    }

    /// The application over a database the test opened itself.
    static func make(_ configuration: AppConfiguration, database: any SQLDatabase) async throws -> SignedInApp<some ApplicationProtocol> {
        SignedInApp(inner: try await buildApplication(configuration: configuration, database: database), configuration: configuration, database: database)
    }

    /// An account the tests sign in as.
    struct TestAccount: Sendable {
        var name: String
        var role: Role
        var team: String
    }

    /// Who the test client is on the pages: an admin of the default team.
    static let account = TestAccount(name: "tester", role: .admin, team: "Default")

    /// A session of `account` (created, with its team, when missing) in the app's database:
    /// the session cookie's value.
    static func signIn(_ account: TestAccount, configuration: AppConfiguration, database given: (any SQLDatabase)? = nil) async throws -> String {
        let database: any SQLDatabase
        if let given { database = given } else { database = try await self.database(configuration) }
        let store = AccountStore(database: database)
        let team = try await store.teamCreatingIfMissing(named: account.team).get()
        let existing = try await store.account(named: account.name)
        let stored: Account
        if let existing {
            stored = existing
        } else {
            stored = try await store.create(NewAccount(name: account.name, role: account.role, teamID: team.id), passwordHash: nil).get()
        }
        let started = try await SessionStore(database: database).start(for: stored, address: "127.0.0.1")
        if given == nil { await database.close() }
        return started.token
    }
}

/// A browser-like session over the test client: keeps the CSRF cookie and reads the form token.
struct Session {
    let client: any TestClientProtocol
    var cookie = ""
    var token = ""

    init(_ client: any TestClientProtocol) async throws {
        self.client = client
        let response = try await client.execute(uri: "/", method: .get)
        cookie = response.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
        token = Self.formToken(in: String(buffer: response.body)) ?? ""
    }

    static func formToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.cookie] = cookie
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// Posts a multipart form with one file, as the upload page does.
    func upload(_ data: Data, fileName: String, model: String? = nil, token: String? = nil) async throws -> TestResponse {
        let boundary = "----loanrisk-test-boundary"
        var body = Data()
        func field(_ name: String, _ value: String) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        field("csrf", token ?? self.token)
        if let model { field("model", model) }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await client.execute(
            uri: "/batches", method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie],
            body: ByteBuffer(data: body))
    }

    /// Submits the applicant form as a browser does: POST /applicants, which must answer 303 to
    /// the stored decision's page, then GET that page. Returns its address and the page.
    func decide(_ fields: [String: String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> (location: String, page: TestResponse) {
        let posted = try await postForm("/applicants", fields)
        #expect(posted.status == .seeOther, "POST /applicants answered \(posted.status): \(String(buffer: posted.body).prefix(300))", sourceLocation: sourceLocation)
        let location = try #require(posted.headers[.location], sourceLocation: sourceLocation)
        return (location, try await get(location))
    }

    func postForm(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
        var all = fields
        if all["csrf"] == nil { all["csrf"] = token }
        let body = all.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
        }.joined(separator: "&")
        return try await client.execute(
            uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
            body: ByteBuffer(string: body))
    }
}
