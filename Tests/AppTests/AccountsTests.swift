@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Signing in and out, the first admin's link, sessions and passwords (issue #33), through the
/// real router and a real database (SQLite here, PostgreSQL in CI's second pass).
@Suite(.sharingTheCores) struct AccountsTests {
    /// A browser without a session: the sign-in page's CSRF cookie and token, then its forms.
    struct Browser {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]
        var csrf = ""

        init(_ client: any TestClientProtocol) async throws {
            self.client = client
            let page = try await client.execute(uri: "/sign-in", method: .get)
            keep(page)
            csrf = try #require(Session.formToken(in: String(buffer: page.body)))
        }

        mutating func keep(_ response: TestResponse) {
            for field in response.headers where field.name == .setCookie {
                let pair = field.value.split(separator: ";").first.map(String.init) ?? ""
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                if parts[1].isEmpty { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
            }
        }

        var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

        mutating func get(_ uri: String) async throws -> TestResponse {
            let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookieHeader])
            keep(response)
            return response
        }

        mutating func post(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
            var all = fields
            all["csrf"] = csrf
            let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.value)" }.joined(separator: "&")
            let response = try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookieHeader], body: ByteBuffer(string: body))
            keep(response)
            return response
        }
    }

    static let password = "plum orchard lantern 42"

    static func service(_ configuration: AppConfiguration) async throws -> AccountService {
        let settings = configuration.core.accounts
        return AccountService(
            database: try await TestApp.database(configuration), policy: try PasswordPolicy.load(from: try #require(settings.commonPasswords)),
            hasher: PasswordHasher(cost: 4), sessionIdle: settings.sessionIdle, sessionMax: settings.sessionMax)
    }

    @Test func passwordsFollowNIST80063B() throws {
        let policy = try PasswordPolicy.load(from: TestApp.root.appendingPathComponent("Data/passwords/common.txt"))
        #expect(policy.problem(with: "short one", accountName: "ana") == .tooShort(9))
        #expect(policy.problem(with: "password1234", accountName: "ana") == .common, "a listed password with digits added")
        #expect(policy.problem(with: "Baseball2024!", accountName: "ana") == .common)
        #expect(policy.problem(with: "aaaaaaaaaaaaaa", accountName: "ana") == .repetitive)
        #expect(policy.problem(with: "123456789012", accountName: "ana") == .repetitive)
        #expect(policy.problem(with: "analyst-ana-rivera", accountName: "rivera") == .containsName)
        #expect(policy.problem(with: String(repeating: "é", count: 40), accountName: "ana") == .tooLong, "80 bytes: bcrypt reads 72")
        // No composition rules: lower-case words with spaces are fine.
        #expect(policy.problem(with: Self.password, accountName: "ana") == nil)
        #expect(policy.problem(with: "ünïcödé façade ok", accountName: "ana") == nil)
    }

    @Test func signInStartsASessionAndSignOutEndsIt() async throws {
        let configuration = TestApp.configuration()
        let app = try await TestApp.make(configuration)
        let service = try await Self.service(configuration)
        _ = try await service.create(NewAccount(name: "Ana", role: .analyst, teamID: Team.defaultID), password: Self.password).get()
        try await app.test(.router, anonymous: true) { client in
            var browser = try await Browser(client)
            #expect(try await browser.get("/batches").headers[.location] == "/sign-in?next=/batches")
            let wrong = try await browser.post("/sign-in", ["name": "ana", "password": "not the password at all", "next": "/batches"])
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("The name or password is not right."))
            #expect(browser.cookies[SessionCookie.plainName] == nil)
            let right = try await browser.post("/sign-in", ["name": "ana", "password": Self.password, "next": "/batches"])
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/batches")
            let cookie = try #require(right.headers[values: .setCookie].first { $0.hasPrefix(SessionCookie.plainName + "=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP: browsers drop Secure cookies there")
            let page = try await browser.get("/batches")
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<a href=\"/account\" title=\"Your account\">Ana</a>"), "the header names who is signed in")
            #expect(page.headers[.cacheControl] == "no-store")
            // An open redirect is refused: only paths on this site.
            var other = try await Browser(client)
            let away = try await other.post("/sign-in", ["name": "ana", "password": Self.password, "next": "//evil.example/x"])
            #expect(away.headers[.location] == "/")
            // Sign-out ends the session in the database: the same cookie no longer works.
            let token = try #require(browser.cookies[SessionCookie.plainName])
            #expect(try await browser.post("/sign-out", [:]).headers[.location] == "/sign-in?done=signed-out")
            #expect(try await service.sessions.account(for: token) == nil)
            let replayed = try await client.execute(uri: "/batches", method: .get, headers: [.cookie: "\(SessionCookie.plainName)=\(token)"])
            #expect(replayed.status == .seeOther)
        }
    }

    @Test func wrongGuessesAreThrottledPerAccountWithRetryAfter() async throws {
        let configuration = TestApp.configuration()
        let app = try await TestApp.make(configuration)
        let service = try await Self.service(configuration)
        _ = try await service.create(NewAccount(name: "ben", role: .viewer, teamID: Team.defaultID), password: Self.password).get()
        try await app.test(.router, anonymous: true) { client in
            var browser = try await Browser(client)
            for attempt in 1...5 {
                #expect(try await browser.post("/sign-in", ["name": "ben", "password": "guess number \(attempt)"]).status == .unauthorized)
            }
            let throttled = try await browser.post("/sign-in", ["name": "ben", "password": Self.password])
            #expect(throttled.status == .tooManyRequests, "even the right password waits")
            let wait = try #require(throttled.headers[.retryAfter].flatMap(Int.init))
            #expect(wait > 800 && wait <= 900)
            #expect(String(buffer: throttled.body).contains("Too many failed sign-ins"))
            // An unknown name is throttled the same way: the answer does not say which names exist.
            for _ in 1...5 { _ = try await browser.post("/sign-in", ["name": "nobody-here", "password": "x"]) }
            #expect(try await browser.post("/sign-in", ["name": "nobody-here", "password": "x"]).status == .tooManyRequests)
        }
    }

    @Test func theSetupLinkCreatesTheFirstAdminOnce() async throws {
        let configuration = TestApp.configuration()
        let app = try await TestApp.make(configuration)
        let service = try await Self.service(configuration)
        let token = try #require(try await service.setup.issueIfNoAccounts())
        try await app.test(.router, anonymous: true) { client in
            var browser = try await Browser(client)
            #expect(try await browser.get("/setup?token=\(token)").status == .ok)
            #expect(try await browser.get("/setup?token=\(String(repeating: "0", count: 64))").status == .notFound)
            let weak = try await browser.post("/setup", ["token": token, "name": "root", "password": "password1234", "confirm": "password1234"])
            #expect(weak.status == .unprocessableContent)
            #expect(String(buffer: weak.body).contains("commonly used passwords"))
            let made = try await browser.post("/setup", ["token": token, "name": "root", "password": Self.password, "confirm": Self.password])
            #expect(made.status == .seeOther)
            #expect(try await browser.get("/admin/people").status == .ok, "signed in as the new admin")
            #expect(try await service.accounts.account(named: "root")?.role == .admin)
            #expect(try await browser.get("/setup?token=\(token)").status == .notFound, "the link works once")
            #expect(try await service.setup.issueIfNoAccounts() == nil, "no new link once an account exists")
        }
    }

    @Test func sessionsEndWhenIdleOrTooOldAndAPasswordChangeEndsTheOthers() async throws {
        let configuration = TestApp.configuration()
        _ = try await TestApp.make(configuration)
        let service = try await Self.service(configuration)
        let account = try await service.create(NewAccount(name: "cy", role: .analyst, teamID: Team.defaultID), password: Self.password).get()
        let now = Date()
        let one = try await service.sessions.start(for: account, address: "127.0.0.1", at: now)
        #expect(try await service.sessions.account(for: one.token, at: now.addingTimeInterval(29 * 60))?.id == account.id)
        // 29 minutes on, the session was used: idle counts from then.
        #expect(try await service.sessions.account(for: one.token, at: now.addingTimeInterval(29 * 60 + 29 * 60))?.id == account.id)
        #expect(try await service.sessions.account(for: one.token, at: now.addingTimeInterval(12 * 3600 + 1)) == nil, "absolute limit")
        let two = try await service.sessions.start(for: account, address: "127.0.0.1", at: now)
        #expect(try await service.sessions.account(for: two.token, at: now.addingTimeInterval(31 * 60)) == nil, "idle limit")
        let kept = try await service.sessions.start(for: account, address: "127.0.0.1")
        let other = try await service.sessions.start(for: account, address: "127.0.0.1")
        let changed = try await service.changePassword(
            accountID: account.id, current: Self.password, new: "quiet river stone 17", confirmation: "quiet river stone 17", session: kept.token)
        #expect((try? changed.get()) != nil)
        #expect(try await service.sessions.account(for: kept.token) != nil)
        #expect(try await service.sessions.account(for: other.token) == nil)
        // Disabling an account ends its sessions at once.
        _ = try await service.accounts.update(id: account.id, role: .analyst, teamID: Team.defaultID, disabled: true).get()
        #expect(try await service.sessions.account(for: kept.token) == nil)
        let refused = try await service.signIn(name: "cy", password: "quiet river stone 17", address: "127.0.0.1", replacing: nil)
        if case .failure(let error) = refused { #expect(error == .disabled) } else { Issue.record("a disabled account signed in") }
    }
}
