import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The model registry through the admin API, over a real SQLite file: what start-up
/// registers, versions, aliases and their history, rollback, every refusal with its status
/// and message, the admin token, and the watch folder.
@Suite(.sharingTheCores) struct RegistryTests {
    static let lendingClub = "/admin/v1/models/lending-club"

    static func models(_ client: some TestClientProtocol) async throws -> [[String: Any]] {
        let response = try await client.execute(uri: "/admin/v1/models", method: .get, headers: TestApp.adminHeaders)
        #expect(response.status == .ok)
        return try #require(try ModelVariants.json(response)["models"] as? [[String: Any]])
    }

    static func predict(_ client: some TestClientProtocol, model: String = "lending-club") async throws -> (version: String, probability: Double) {
        let body = try Data(contentsOf: TestApp.root.appendingPathComponent("examples/lending-club-one.json"))
        let response = try await client.execute(
            uri: "/api/v1/models/\(model)/predict?reasons=0", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
        #expect(response.status == .ok)
        // Read exactly (Foundation's reader on Linux rounds some 17-digit numbers).
        guard case .object(let json) = try JSONReader.parse(Array(response.body.readableBytesView)),
              case .object(let model)? = json["model"], case .string(let version)? = model["version"],
              case .number(let text)? = json["probability_of_default"], let probability = Double(text) else {
            Issue.record("not a prediction: \(String(buffer: response.body))")
            return ("", .nan)
        }
        return (version, probability)
    }

    /// The version `GET /api/v1/models/{name}` describes, and the one its list gives for `name`.
    static func describedVersions(_ client: some TestClientProtocol, model: String = "lending-club") async throws -> (one: String?, listed: String?) {
        let one = try ModelVariants.json(try await client.execute(uri: "/api/v1/models/\(model)", method: .get))["version"] as? String
        let list = try ModelVariants.json(try await client.execute(uri: "/api/v1/models", method: .get))["models"] as? [[String: Any]]
        return (one, list?.first { $0["name"] as? String == model }?["version"] as? String)
    }

    @Test func aFreshStartRegistersTheShippedBundlesAsChampions() async throws {
        try await TestApp.make().test(.router) { client in
            let models = try await Self.models(client)
            #expect(Set(models.compactMap { $0["name"] as? String }) == ["credit-data", "german-credit", "lending-club", "mixed_realistic"])
            for model in models {
                let versions = try #require(model["versions"] as? [[String: Any]])
                #expect(versions.count == 1)
                #expect(model["champion"] as? String == versions[0]["version"] as? String)
                #expect(versions[0]["created_by"] as? String == "start-up")
                #expect((versions[0]["sha256"] as? String)?.count == 64)
            }
            let lendingClub = try #require(models.first { $0["name"] as? String == "lending-club" })
            let sha = SHA256.hexDigest(try Data(contentsOf: ModelVariants.lendingClub.appendingPathComponent("model.txt")))
            #expect((lendingClub["versions"] as? [[String: Any]])?.first?["sha256"] as? String == sha)
            // The default model (MODEL) is marked as such; a bare model's version is its sha256's first 12 hex digits.
            let bare = try #require(models.first { $0["name"] as? String == "mixed_realistic" })
            #expect(bare["default"] as? Bool == true)
            #expect(bare["champion"] as? String == String(SHA256.hexDigest(try Data(contentsOf: TestApp.goldenModel)).prefix(12)))
        }
    }

    @Test func aVersionIsRegisteredPromotedAndRolledBackWithItsHistory() async throws {
        let variant = try ModelVariants.lendingClub(version: "1.1.0")
        let expected = try BatchScorer(bundle: variant.load())
        try await TestApp.make().test(.router) { client in
            let before = try await Self.predict(client)
            #expect(before.version == "2.1.0")
            #expect(try await Self.describedVersions(client) == ("2.1.0", "2.1.0"))
            #expect(try await ModelVariants.register(variant, with: client) == .created)
            // Registering the same files again changes nothing; a new version never serves by itself.
            #expect(try await ModelVariants.register(variant, with: client) == .ok)
            #expect(try await Self.predict(client).version == "2.1.0")

            let promoted = try await ModelVariants.setAlias(to: "1.1.0", with: client)
            #expect(promoted.status == .ok)
            let promotion = try ModelVariants.json(promoted)
            #expect(promotion["previous"] as? String == "2.1.0")
            #expect(promotion["sha256"] as? String == SHA256.hexDigest(variant.model))
            let after = try await Self.predict(client)
            #expect(after.version == "1.1.0")
            // The API's descriptions (encoded once a bundle) follow the promotion.
            #expect(try await Self.describedVersions(client) == ("1.1.0", "1.1.0"))
            // The numbers read exactly as the API reads them.
            let json = try JSONReader.parse(Array(try Data(contentsOf: TestApp.root.appendingPathComponent("examples/lending-club-one.json"))))
            let applicant = ApplicantJSON(schema: expected.schema).parse([ApplicantFields(json)]).cells
            #expect(after.probability == expected.score(applicants: applicant).first?.probability)
            #expect(after.probability != before.probability)

            let rolledBack = try await client.execute(uri: Self.lendingClub + "/rollback", method: .post, headers: TestApp.adminHeaders)
            #expect(rolledBack.status == .ok)
            #expect(try ModelVariants.json(rolledBack)["version"] as? String == "2.1.0")
            #expect(try await Self.predict(client) == before)
            #expect(try await Self.describedVersions(client) == ("2.1.0", "2.1.0"))

            let history = try await client.execute(uri: Self.lendingClub + "/history", method: .get, headers: TestApp.adminHeaders)
            let events = try #require(try ModelVariants.json(history)["events"] as? [[String: Any]])
            let moves = events.map { "\($0["from_version"] as? String ?? "none")→\($0["to_version"] as? String ?? "none") by \($0["actor"] as? String ?? "")" }
            #expect(moves == ["1.1.0→2.1.0 by test", "2.1.0→1.1.0 by test", "none→2.1.0 by start-up"])
        }
    }

    @Test func everyRefusalSaysWhyWithItsStatus() async throws {
        try await TestApp.make().test(.router) { client in
            // Golden rows that do not reproduce: 422, the differing rows listed.
            let wrongGolden = try ModelVariants.lendingClub(version: "2.5.0", golden: true)
            #expect(try await ModelVariants.register(wrongGolden, with: client) == .created)
            let golden = try await ModelVariants.setAlias(to: "2.5.0", with: client)
            #expect(golden.status == .unprocessableContent)
            let goldenProblem = try ModelVariants.json(golden)
            #expect((goldenProblem["detail"] as? String)?.contains("does not reproduce its golden rows: 309 of 309 differ") == true)
            #expect((goldenProblem["golden_rows"] as? [String: Any])?["differing"] as? Int == 309)
            #expect(try await Self.predict(client).version == "2.1.0")

            // Changed inputs: 409 listing them; force accepts them and says so.
            let changed = try ModelVariants.lendingClub(version: "3.0.0", sigmoid: "1") { features in
                if let index = features.firstIndex(where: { $0["name"] as? String == "delinq_2yrs" }) { features[index]["kind"] = "numeric" }
                features.append(["name": "extra_note", "kind": "numeric"])
            }
            #expect(try await ModelVariants.register(changed, with: client) == .created)
            let refused = try await ModelVariants.setAlias(to: "3.0.0", with: client)
            #expect(refused.status == .conflict)
            let changes = try #require(try ModelVariants.json(refused)["input_changes"] as? [String: Any])
            #expect(changes["added"] as? [String] == ["extra_note"])
            #expect(changes["removed"] as? [String] == [])
            #expect((changes["retyped"] as? [[String: Any]])?.first?["name"] as? String == "delinq_2yrs")
            let forced = try await ModelVariants.setAlias(to: "3.0.0", force: true, with: client)
            #expect(forced.status == .ok)
            #expect(try ModelVariants.json(forced)["forced"] as? Bool == true)

            // The same version with other content: versions are immutable.
            let impostor = try ModelVariants.lendingClub(version: "3.0.0", sigmoid: "0.7")
            let (headers, body) = ModelVariants.multipart(impostor)
            let conflict = try await client.execute(uri: Self.lendingClub + "/versions", method: .post, headers: headers, body: body)
            #expect(conflict.status == .conflict)
            #expect(String(buffer: conflict.body).contains("already registered with another model"))

            // A file that is not a model.
            let garbage = ModelVariants.Variant(model: Data("not a model".utf8), bundle: Data(), golden: nil, version: "")
            let (garbageHeaders, garbageBody) = ModelVariants.multipart(garbage, includeBundle: false)
            let notAModel = try await client.execute(uri: "/admin/v1/models/junk/versions", method: .post, headers: garbageHeaders, body: garbageBody)
            #expect(notAModel.status == .unprocessableContent)
            #expect(String(buffer: notAModel.body).contains("does not load"))
            // A bundle sent to another name's address.
            let (misnamedHeaders, misnamedBody) = ModelVariants.multipart(try ModelVariants.lendingClub(version: "4.0.0"))
            let misnamed = try await client.execute(uri: "/admin/v1/models/german-credit/versions", method: .post, headers: misnamedHeaders, body: misnamedBody)
            #expect(misnamed.status == .unprocessableContent)

            #expect(try await ModelVariants.setAlias(to: "9.9.9", with: client).status == .notFound)
            #expect(try await ModelVariants.setAlias("deputy", to: "2.1.0", with: client).status == .notFound)
            // A challenger must differ from the champion; the champion cannot be cleared or removed.
            let same = try await ModelVariants.setAlias("challenger", to: "3.0.0", with: client)
            #expect(same.status == .conflict)
            #expect(String(buffer: same.body).contains("is the champion"))
            #expect(try await client.execute(uri: Self.lendingClub + "/aliases/champion", method: .delete, headers: TestApp.adminHeaders).status == .conflict)
            #expect(try await client.execute(uri: Self.lendingClub + "/versions/3.0.0", method: .delete, headers: TestApp.adminHeaders).status == .conflict)
            #expect(try await client.execute(uri: Self.lendingClub + "/aliases/challenger", method: .delete, headers: TestApp.adminHeaders).status == .notFound)
            // A version that serves nothing and scored no batch can go.
            #expect(try await client.execute(uri: Self.lendingClub + "/versions/2.1.0", method: .delete, headers: TestApp.adminHeaders).status == .noContent)
            #expect(try await client.execute(uri: Self.lendingClub + "/versions/2.1.0", method: .delete, headers: TestApp.adminHeaders).status == .notFound)
        }
    }

    @Test func aVersionDamagedInTheDatabaseIsRefusedAndTheChampionKeepsServing() async throws {
        let configuration = TestApp.configuration()
        let database = try await TestApp.database(configuration)
        let app = try await TestApp.make(configuration, database: database)
        try await app.test(.router) { client in
            #expect(try await ModelVariants.register(try ModelVariants.lendingClub(version: "1.1.0"), with: client) == .created)
            // Someone edits the stored model behind the registry's back.
            try await database.write { db in
                switch db.dialect {
                case .sqlite:
                    try await db.execute("UPDATE model_version SET model_text = CAST(REPLACE(CAST(model_text AS TEXT), 'sigmoid:0.9', 'sigmoid:0.5') AS BLOB) WHERE version = '1.1.0'")
                case .postgres:
                    try await db.execute("UPDATE model_version SET model_text = convert_to(replace(convert_from(model_text, 'UTF8'), 'sigmoid:0.9', 'sigmoid:0.5'), 'UTF8') WHERE version = '1.1.0'")
                }
            }
            let refused = try await ModelVariants.setAlias(to: "1.1.0", with: client)
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("is damaged: its model file has sha256"))
            #expect(try await Self.predict(client).version == "2.1.0")
        }
    }

    @Test func aVersionThatScoredABatchIsKept() async throws {
        try await TestApp.make().test(.router) { client in
            let session = try await Session(client)
            let sample = try Data(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
            #expect(try await session.upload(sample, fileName: "sample.csv", model: "lending-club").status == .seeOther)
            #expect(try await ModelVariants.register(try ModelVariants.lendingClub(version: "1.1.0"), with: client) == .created)
            #expect(try await ModelVariants.setAlias(to: "1.1.0", with: client).status == .ok)
            let removal = try await client.execute(uri: Self.lendingClub + "/versions/2.1.0", method: .delete, headers: TestApp.adminHeaders)
            #expect(removal.status == .conflict)
            #expect(String(buffer: removal.body).contains("scored 1 stored batch"))
        }
    }

    @Test func theAdminSurfaceNeedsTheToken() async throws {
        try await TestApp.make().test(.router, anonymous: true) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong-token-0123456789"], [.authorization: "Basic dGVzdDp0ZXN0"]] {
                let response = try await client.execute(uri: "/admin/v1/models", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(!String(buffer: response.body).contains(TestApp.adminToken))
            }
            #expect(try await client.execute(uri: "/admin/v1/models", method: .get, headers: TestApp.adminHeaders).status == .ok)
        }
        // Without ADMIN_TOKEN the surface answers admin API keys only.
        var configuration = TestApp.configuration()
        configuration.adminTokens = []
        try await TestApp.make(configuration).test(.router) { client in
            let refused = try await client.execute(uri: "/admin/v1/models", method: .get, headers: TestApp.adminHeaders)
            #expect(refused.status == .unauthorized)
        }
    }

    @Test func adminTokensAreReadWithLabelsAndNeverShown() async throws {
        let configuration = try AppConfiguration(environment: ["ADMIN_TOKEN": "alice:aaaaaaaaaaaaaaaaaaaa,ci:bbbbbbbbbbbbbbbbbbbb"])
        #expect(configuration.adminTokens.map(\.label) == ["alice", "ci"])
        #expect(!"\(configuration.adminTokens)".contains("aaaa"))
        let ring = APIKeyRing(store: APIKeyStore(database: try await TestApp.database(TestApp.configuration())), defaultRatePerMinute: 60)
        let auth = MachineAuth(ring: ring, adminTokens: configuration.adminTokens)
        func caller(_ header: String?) -> String? {
            if case .granted(let grant) = auth.authenticate(MachineAuth.bearer(header), address: "test") { return grant.principal.caller }
            return nil
        }
        #expect(caller("Bearer bbbbbbbbbbbbbbbbbbbb") == "admin-token:ci")
        #expect(caller("bearer aaaaaaaaaaaaaaaaaaaa") == "admin-token:alice")
        #expect(caller("Bearer aaaaaaaaaaaaaaaaaaa") == nil)
        #expect(caller(nil) == nil)
        #expect(try AppConfiguration(environment: ["ADMIN_TOKEN": "just-one-token"]).adminTokens.map(\.label) == ["admin"])
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["ADMIN_TOKEN": "a:short,b:alsoshort"]) }
    }

    @Test func newFoldersInTheWatchFolderAreRegisteredNotPromoted() async throws {
        let watch = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: watch, withIntermediateDirectories: true)
        var configuration = TestApp.configuration()
        configuration.modelsWatch = watch
        try await TestApp.make(configuration).test(.live) { client in
            try ModelVariants.lendingClub(version: "5.0.0").write(to: watch.appendingPathComponent("lending-club-5"))
            // A folder that is not a model is logged and skipped.
            try FileManager.default.createDirectory(at: watch.appendingPathComponent("broken"), withIntermediateDirectories: true)
            try Data("nonsense".utf8).write(to: watch.appendingPathComponent("broken/model.txt"))
            let versions = try await Eventually.poll(every: .milliseconds(200), {
                let lendingClub = try await Self.models(client).first { $0["name"] as? String == "lending-club" }
                return (lendingClub?["versions"] as? [[String: Any]])?.compactMap { $0["version"] as? String } ?? []
            }, until: { $0.contains("5.0.0") })
            #expect(versions.sorted() == ["2.1.0", "5.0.0"])
            #expect(try await Self.predict(client).version == "2.1.0")
            #expect(try await Self.models(client).contains { $0["name"] as? String == "broken" } == false)
        }
    }
}
