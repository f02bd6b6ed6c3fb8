@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// The fair-lending surfaces of the server: the model card's report, a form that never asks
/// for a protected attribute, and the warning a bare model with a prohibited-looking input
/// carries on its card and in every answer.
@Suite(.sharingTheCores) struct FairLendingPageTests {
    @Test func theModelCardShowsTheDisparateImpactReportAndTheFormOmitsProtectedColumns() async throws {
        var configuration = TestApp.configuration()
        configuration.model = "german-credit"
        let app = try await TestApp.make(configuration)
        let bundle = try ModelBundle(directory: TestApp.root.appendingPathComponent("Data/models/german-credit"))
        let protected = try #require(bundle.manifest?.protectedInputs).map(\.name)
        try await app.test(.router) { client in
            let card = String(buffer: try await client.execute(uri: "/models/german-credit", method: .get).body)
            #expect(card.contains("<h2>Fair lending</h2>"))
            #expect(card.contains("Disparate impact of the decision policy"))
            #expect(card.contains("What these choices cost (same folds)"))
            #expect(card.contains("sex and marital status") && card.contains("national origin"))
            #expect(card.contains("never rises as these rise"))
            let inputs = try #require(card.components(separatedBy: "<h2>Inputs</h2>").last)
            for name in protected { #expect(!inputs.contains("<code>\(name)</code>")) }
            let form = String(buffer: try await client.execute(uri: "/applicants/new?model=german-credit", method: .get).body)
            #expect(form.contains("name=\"duration_in_month\""))
            for name in protected { #expect(!form.contains("name=\"\(name)\"")) }
            let template = String(buffer: try await client.execute(uri: "/models/german-credit/template.csv", method: .get).body)
            for name in protected { #expect(!template.contains(name)) }
        }
    }

    @Test func aBareModelWithAProhibitedLookingInputWarnsOnItsCardAndInEveryAnswer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loanrisk-basis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: TestApp.goldenModel, encoding: .utf8)
        let renamed = text.replacingOccurrences(of: "feature_names=n00_normal ", with: "feature_names=marital_status ")
        #expect(renamed != text)
        let file = folder.appendingPathComponent("renamed.txt")
        try renamed.write(to: file, atomically: true, encoding: .utf8)
        var configuration = TestApp.configuration()
        configuration.model = file.path
        let app = try await TestApp.make(configuration)
        // A whole applicant of the renamed model (the golden file's first row): one that is scored.
        let (header, rows) = try PagesTests.csv(TestApp.goldenInput)
        var cells: [String: Any] = Dictionary(uniqueKeysWithValues: zip(header.map { $0 == "n00_normal" ? "marital_status" : $0 }, rows[0]))
        cells["marital_status"] = 1.0
        let applicant = try JSONSerialization.data(withJSONObject: cells)
        try await app.test(.router) { client in
            let card = String(buffer: try await client.execute(uri: "/models/renamed", method: .get).body)
            #expect(card.contains("Input &#39;marital_status&#39; looks like a prohibited basis") || card.contains("Input 'marital_status' looks like a prohibited basis"))
            let answer = try ApiTests.object(try await ApiTests.post(client, "/api/v1/predict", body: applicant))
            let warnings = answer["warnings"] as? [String] ?? []
            #expect(warnings.contains { $0.hasPrefix("Input 'marital_status' looks like a prohibited basis of a credit decision (marital status") })
        }
    }
}
