import Foundation
import Logging
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// Instances that start together come up together: two start-ups at the same moment on an
/// empty PostgreSQL (a Deployment's two replicas) both succeed, and agree on one champion per
/// model, crowned once. Before, one of them failed with "The version could not be stored":
/// both registered the same bundle, and the second insert met the first's primary key.
/// (`tests/scaleout/test_start_together.py` does the same with two real processes.)
@Suite(.sharingTheCores) struct StartTogetherTests {
    @Test(.enabled(if: TestApp.postgresURL() != nil, "instances share a database on PostgreSQL"))
    func twoInstancesStartingTogetherOnAnEmptyDatabaseBothComeUp() async throws {
        for _ in 0..<3 {
            let configuration = TestApp.configuration()  // a schema of its own: empty
            async let first = TestApp.database(configuration)
            async let second = TestApp.database(configuration)
            let (a, b) = try await (first, second)
            // The registry's start-up, at the same moment on both.
            async let started: Void = Self.start(configuration, on: a)
            async let alsoStarted: Void = Self.start(configuration, on: b)
            _ = try await (started, alsoStarted)

            let store = RegistryStore(database: a)
            let champions = try await store.aliases().filter { $0.alias == .champion }
            #expect(Set(champions.map(\.name)) == ["credit-data", "german-credit", "lending-club", "mixed_realistic"])
            for champion in champions {
                let moves = try await store.history(of: champion.name, alias: .champion)
                #expect(moves.count == 1, "\(champion.name) crowned \(moves.count) times")
                #expect(moves.first?.toVersion == champion.version && moves.first?.fromVersion == nil)
            }
            await a.close()
            await b.close()
        }
    }

    private static func start(_ configuration: AppConfiguration, on database: any SQLDatabase) async throws {
        _ = try await buildApplication(configuration: configuration, database: database)
    }

    /// The store's two steps, raced directly on either engine: the same version registered
    /// twice at once is stored once ("already there" for the other), and of two first
    /// crownings at once exactly one happens.
    @Test func aRegistrationAndAFirstCrowningRacedAreEachDoneOnce() async throws {
        let database = try await TestApp.database(TestApp.configuration())
        let store = RegistryStore(database: database)
        for round in 0..<5 {
            let name = "raced-\(round)"
            let record = try ModelLifecycle.record(for: ModelLifecycle.Files(location: TestApp.goldenModel, name: name), actor: "start-up")
            async let one = store.register(record)
            async let other = store.register(record)
            let registrations = try await [one, other]
            #expect(registrations.filter { $0 == .created }.count == 1 && registrations.filter { $0 == .alreadyStored }.count == 1)

            async let crowned = store.crown(name, version: record.version, actor: "start-up")
            async let alsoCrowned = store.crown(name, version: record.version, actor: "start-up")
            #expect(try await [crowned, alsoCrowned].filter { $0 }.count == 1)
            #expect(try await store.alias(.champion, of: name)?.version == record.version)
            #expect(try await store.history(of: name).count == 1)
        }
        // A champion already set is kept: a later first crowning of another version changes nothing.
        let another = TestApp.root.appendingPathComponent("Tests/ScoringTests/Fixtures/golden/numeric_missing_nan/model.txt")
        let later = try ModelLifecycle.record(for: ModelLifecycle.Files(location: another, name: "raced-0"), actor: "start-up")
        #expect(try await store.register(later) == .created)
        #expect(try await store.crown("raced-0", version: later.version, actor: "start-up") == false)
        #expect(try await store.alias(.champion, of: "raced-0")?.version != later.version)
        #expect(try await store.history(of: "raced-0").count == 1)
        await database.close()
    }
}
