import Foundation
import Synchronization
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// The champion moved back and forth while requests keep coming, over real connections:
/// every answer is a 200, and each names the version whose probability it carries.
@Suite(.sharingTheCores) struct HotSwapTests {
    @Test func swappingTheChampionUnderLoadFailsNothingAndMixesNothing() async throws {
        let variant = try ModelVariants.lendingClub(version: "1.1.0")
        try await TestApp.make().test(.ahc(.http)) { client in
            #expect(try await ModelVariants.register(variant, with: client) == .created)
            let before = try await RegistryTests.predict(client)
            #expect(try await ModelVariants.setAlias(to: "1.1.0", with: client).status == .ok)
            let after = try await RegistryTests.predict(client)
            #expect(try await ModelVariants.setAlias(to: "2.1.0", with: client).status == .ok)
            let expected = [before.version: before.probability, after.version: after.probability]
            #expect(expected.count == 2 && before.probability != after.probability)

            let body = ByteBuffer(data: try Data(contentsOf: TestApp.root.appendingPathComponent("examples/lending-club-one.json")))
            struct Tally: Sendable { var ok = 0, failed = 0, mixed = 0, seen: Set<String> = [] }
            // The requests go on until the swaps are done (however long a busy machine takes).
            let swapping = Flag(true)
            let tallies = try await withThrowingTaskGroup(of: Tally.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        var tally = Tally()
                        while swapping.value {
                            let response = try await client.execute(
                                uri: "/api/v1/models/lending-club/predict?reasons=0", method: .post, headers: [.contentType: "application/json"], body: body)
                            guard response.status == .ok,
                                  case .object(let json) = try JSONReader.parse(Array(response.body.readableBytesView)),
                                  case .object(let model)? = json["model"], case .string(let version)? = model["version"],
                                  case .number(let text)? = json["probability_of_default"] else {
                                tally.failed += 1
                                continue
                            }
                            if expected[version] == Double(text) { tally.ok += 1 } else { tally.mixed += 1 }
                            tally.seen.insert(version)
                        }
                        return tally
                    }
                }
                // Twenty swaps while they run.
                var swaps = 0
                for swap in 0..<20 {
                    try await Task.sleep(for: .milliseconds(120))
                    let status = try await ModelVariants.setAlias(to: swap % 2 == 0 ? "1.1.0" : "2.1.0", with: client).status
                    if status == .ok { swaps += 1 }
                }
                #expect(swaps == 20)
                swapping.set(false)
                var all: [Tally] = []
                for try await tally in group { all.append(tally) }
                return all
            }
            let ok = tallies.map(\.ok).reduce(0, +)
            #expect(ok >= 20, "at least one answer per swap")
            #expect(tallies.map(\.failed).reduce(0, +) == 0)
            #expect(tallies.map(\.mixed).reduce(0, +) == 0)
            #expect(tallies.reduce(into: Set<String>()) { $0.formUnion($1.seen) } == ["2.1.0", "1.1.0"])
        }
    }
}

/// A Bool tasks read while another sets it.
final class Flag: Sendable {
    private let state: Mutex<Bool>

    init(_ value: Bool) {
        state = Mutex(value)
    }

    var value: Bool { state.withLock { $0 } }

    func set(_ value: Bool) {
        state.withLock { $0 = value }
    }
}
