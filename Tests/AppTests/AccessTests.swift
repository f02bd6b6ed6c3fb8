@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Scoring
import Testing

/// Nobody sees an applicant without being let in (issue #33): every route the router has —
/// read from the router, not listed by hand — refuses a caller without credentials; a viewer
/// cannot change anything; another team's batch, row, download or decision is a 404. On
/// SQLite, and on PostgreSQL in CI's second pass.
@Suite(.sharingTheCores) struct AccessTests {
    /// The only routes that answer without credentials.
    static let open: Set<String> = ["/healthz", "/readyz", "/sign-in", "/setup", "/static/**", "/sign-in/oidc", "/sign-in/oidc/callback"]

    /// Every route of the real router, as `HTTPSurfaces` builds it for this configuration.
    static func routes(_ configuration: AppConfiguration) async throws -> [(method: HTTPRequest.Method, path: String)] {
        let database = try await TestApp.database(configuration)
        let core = try await CoreServices.start(database: database, ownsDatabase: false, settings: configuration.core, logger: Logger(label: "test"))
        let views = try await Views(directory: configuration.viewsDirectory)
        let router = HTTPSurfaces.router(core: core, views: views, settings: configuration.http, logger: Logger(label: "test"))
        await database.close()
        return router.routes.map { ($0.method, $0.path.description) }
    }

    /// A path for the route with each parameter filled in (`{id}` → `id`).
    static func concrete(_ route: String, _ values: [String: String]) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            guard part.hasPrefix("{"), part.hasSuffix("}") else { return part == "**" ? "style.css" : String(part) }
            return values[String(part.dropFirst().dropLast())] ?? "x"
        }.joined(separator: "/")
    }

    static func isMachine(_ path: String) -> Bool {
        ["/api/", "/v2", "/admin/v1", "/metrics", "/openapi.json"].contains { path.hasPrefix($0) }
    }

    @Test func everyRouteRefusesACallerWithoutCredentials() async throws {
        let configuration = TestApp.configuration()
        let routes = try await Self.routes(configuration)
        #expect(routes.count > 40, "the router has its routes")
        let app = try await TestApp.make(configuration)
        try await app.test(.router, anonymous: true) { client in
            for (method, route) in routes where !Self.open.contains(route) {
                let path = Self.concrete(route, ["id": "abcdefghij", "row": "1", "name": "lending-club", "view": "abcdefghij", "model_name": "lending-club"])
                let response = try await client.execute(uri: path, method: method, headers: [.contentType: "application/x-www-form-urlencoded"])
                if Self.isMachine(route) {
                    #expect(response.status == .unauthorized, "\(method) \(route) answered \(response.status) without credentials")
                    #expect(response.headers[.wwwAuthenticate]?.isEmpty == false, "\(method) \(route) has no WWW-Authenticate")
                } else {
                    #expect(response.status == .seeOther, "\(method) \(route) answered \(response.status) without a session")
                    #expect(response.headers[.location]?.hasPrefix("/sign-in?next=") == true, "\(method) \(route) → \(response.headers[.location] ?? "")")
                }
                #expect(!String(buffer: response.body).contains("Lending"), "\(method) \(route) said something about a model")
            }
            // The open ones answer.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/sign-in", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/static/style.css", method: .get).status == .ok)
        }
    }

    @Test func aViewerReadsButEveryWriteIsForbidden() async throws {
        let configuration = TestApp.configuration()
        let routes = try await Self.routes(configuration)
        let app = try await TestApp.make(configuration)
        let viewer = try await TestApp.signIn(.init(name: "vera", role: .viewer, team: "Default"), configuration: configuration)
        try await app.test(.router) { admin in
            // A batch of the viewer's team to read.
            let session = try await Session(admin)
            let sample = TestApp.root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/mixed_realistic/input.csv")
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: sample), fileName: "team.csv"))
            let id = String(location.dropFirst("/batches/".count))
            let client = CredentialedClient(inner: admin, session: viewer)
            let page = try await Session(client)
            #expect(try await page.get(location).status == .ok, "a viewer reads the team's batch")
            #expect(try await page.get(location + "/results.csv").status == .ok)
            let writes = routes.filter { $0.method == .post && !Self.isMachine($0.path) && !Self.open.contains($0.path) }
                .filter { PageAccess.required(method: $0.method, route: $0.path) != .viewer }
            #expect(writes.count >= 10)
            for (_, route) in writes {
                let path = Self.concrete(route, ["id": id, "row": "1", "name": "lending-club", "view": "abcdefghij"])
                let response = try await page.postForm(path, [:])
                #expect(response.status == .forbidden, "POST \(route) answered \(response.status) to a viewer")
            }
        }
    }

    @Test func anotherTeamsBatchRowsDownloadsAndDecisionsAre404() async throws {
        let configuration = TestApp.configuration()
        let routes = try await Self.routes(configuration)
        let app = try await TestApp.make(configuration)
        let other = try await TestApp.signIn(.init(name: "bob", role: .admin, team: "Team B"), configuration: configuration)
        try await app.test(.router) { teamA in
            let session = try await Session(teamA)
            let sample = TestApp.root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/mixed_realistic/input.csv")
            let location = try UploadTests.batchLocation(try await session.upload(try Data(contentsOf: sample), fileName: "team-a.csv"))
            let id = String(location.dropFirst("/batches/".count))
            #expect(try await session.get(location).status == .ok)
            let b = try await Session(CredentialedClient(inner: teamA, session: other))
            let batchRoutes = routes.filter { $0.path.hasPrefix("/batches/{id}") }
            #expect(batchRoutes.count >= 10)
            for (method, route) in batchRoutes {
                let path = Self.concrete(route, ["id": id, "row": "1"])
                let response = method == .get ? try await b.get(path) : try await b.postForm(path, [:])
                #expect(response.status == .notFound, "\(method) \(route) of team A's batch answered \(response.status) to team B")
                #expect(!String(buffer: response.body).contains("team-a.csv"))
            }
            let list = String(buffer: try await b.get("/batches").body)
            #expect(!list.contains(id) && !list.contains("team-a.csv"), "team B's list does not show team A's batch")
            #expect(String(buffer: try await session.get("/batches").body).contains(id))
        }
    }
}
