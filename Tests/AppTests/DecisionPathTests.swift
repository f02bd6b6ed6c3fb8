import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// One decision path: whatever channel asks, the decision is recorded in the audit log,
/// counted in the traffic monitor and scored by the challenger in the shadow — the form
/// included, which once skipped the challenger.
@Suite(.sharingTheCores) struct DecisionPathTests {
    static let sample = TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv")

    @Test func everyChannelIsAuditedWatchedAndShadowed() async throws {
        let variant = try ModelVariants.lendingClub(version: "1.1.0", sigmoid: "0.6")
        let configuration = TestApp.configuration()
        let database = try await TestApp.database(configuration)
        let bundle = try ModelBundle(directory: ModelVariants.lendingClub)
        let (header, rows) = try PagesTests.csv(Self.sample)
        var fields = Dictionary(uniqueKeysWithValues: zip(header, rows[0]).filter { bundle.schema.requiredColumns.contains($0.0) })
        fields["model"] = "lending-club"
        let entered = fields
        let sample = try Data(contentsOf: Self.sample)
        let csvBody = try String(contentsOf: Self.sample, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).prefix(4).joined(separator: "\n") + "\n"
        let oip = try Data(contentsOf: TestApp.root.appendingPathComponent("examples/oip-infer-lending-club.json"))
        let json = try Data(contentsOf: AuditTests.example)
        try await TestApp.make(configuration).test(.router) { client in
            #expect(try await ModelVariants.register(variant, with: client) == .created)
            #expect(try await ModelVariants.setAlias("challenger", to: "1.1.0", with: client).status == .ok)
            let session = try await Session(client)
            var requestIDs: [AuditRecord.Channel: String] = [:]

            let uploaded = try await session.upload(sample, fileName: "sample.csv", model: "lending-club")
            #expect(uploaded.status == .seeOther)
            requestIDs[.batch] = String(try #require(uploaded.headers[.location]).split(separator: "/").last ?? "")

            let (location, page) = try await session.decide(entered)
            #expect(page.status == .ok)
            let stored = try #require(try await ApplicantDecisionStore(database: database).find(id: String(location.split(separator: "/").last ?? ""), team: Team.defaultID))
            requestIDs[.form] = stored.requestID

            let api = try await client.execute(
                uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: json))
            #expect(api.status == .ok)
            let csv = try await client.execute(
                uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csvBody))
            #expect(csv.status == .ok)
            let inferred = try await client.execute(
                uri: "/v2/models/lending-club/infer", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: oip))
            #expect(inferred.status == .ok)
            requestIDs[.oip] = try #require(inferred.headers[.requestID])
            let apiIDs = [try #require(api.headers[.requestID]), try #require(csv.headers[.requestID])]

            // The audit log: each request's records under its channel.
            for (channel, id) in requestIDs {
                let records = try await AuditTests.records(client, query: "request_id=\(id)", expecting: 1)
                #expect(!records.isEmpty, "no audit record for the \(channel) channel")
                #expect(records.allSatisfy { AuditTests.text($0["channel"]) == channel.rawValue })
            }
            for id in apiIDs {
                let records = try await AuditTests.records(client, query: "request_id=\(id)", expecting: 1)
                #expect(records.allSatisfy { AuditTests.text($0["channel"]) == "api" })
            }

            // The traffic monitor and the challenger's pairs: every channel, for the champion.
            let channels = Set(AuditRecord.Channel.allCases.filter { $0 != .review }.map(\.rawValue))
            let monitored = try await Eventually.poll({
                Set(try await MonitorStore(database: database).traffic(model: "lending-club", version: "2.1.0", since: Date().addingTimeInterval(-3_600)).map(\.channel))
            }, until: { $0.isSuperset(of: channels) })
            #expect(monitored.isSuperset(of: channels), "the monitor saw only \(monitored.sorted())")
            let shadowed = try await Eventually.poll({
                try await database.read { db in
                    Set(try await db.query("SELECT DISTINCT channel FROM shadow_pair WHERE challenger_version = ?", ["1.1.0"]).map { try $0.get("channel", as: String.self) })
                }
            }, until: { $0.isSuperset(of: channels) })
            #expect(shadowed.isSuperset(of: channels), "the challenger paired only \(shadowed.sorted())")
            let formPairs = try await database.read { db in
                try await db.scalar("SELECT COUNT(*) FROM shadow_pair WHERE request_id = ?", [stored.requestID], as: Int.self)
            }
            #expect(formPairs == 1)
        }
        await database.close()
    }
}
