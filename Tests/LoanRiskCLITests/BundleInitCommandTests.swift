import Foundation
import Scoring
import Testing

/// `loanrisk bundle init`, run as a user runs it: the folder it writes loads, and the registry
/// takes it and promotes it (which checks its golden rows).
@Suite struct BundleInitCommandTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ScoringTests/Fixtures/bundle-init/credit-data-raw")

    static func cli(_ arguments: [String]) throws -> ScoreCommandTests.Run {
        try ScoreCommandTests.run(arguments)
    }

    @Test func writesAFolderTheRegistryTakesAndPromotes() throws {
        let out = try ScoreCommandTests.temporaryFile("own-credit")
        let run = try Self.cli([
            "bundle", "init", "--model", Self.fixture.appendingPathComponent("model.txt").path,
            "--sample", Self.fixture.appendingPathComponent("sample-semicolon.csv").path, "--out", out.path,
            "--target", "Status", "--positive", "bad", "--golden-rows", "50",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("own-credit version"))
        #expect(run.stdout.contains("golden.csv   50 rows"))
        #expect(run.stdout.contains("decimal commas"))
        #expect(run.stdout.contains("ROC-AUC 0.82"))
        #expect(run.stdout.contains("loanrisk models register \(out.path)"))
        let bundle = try ModelBundle(directory: out)
        #expect(bundle.name == "own-credit" && bundle.schema.idColumn == "applicant_id")
        #expect(try GoldenRows.check(bundle, csv: Data(contentsOf: out.appendingPathComponent("golden.csv"))).passed)

        let database = try ScoreCommandTests.temporaryFile("registry.sqlite")
        let registered = try Self.cli(["models", "register", out.path, "--promote", "--database", database.path])
        #expect(registered.status == 0, "\(registered.stdout)\(registered.stderr)")
        #expect(registered.stdout.contains("registered own-credit \(bundle.version)"))

        let again = try Self.cli([
            "bundle", "init", "--model", Self.fixture.appendingPathComponent("model.txt").path,
            "--sample", Self.fixture.appendingPathComponent("sample.csv").path, "--out", out.path,
        ])
        #expect(again.status == 1 && again.stderr.contains("already holds a bundle.json"))
    }

    @Test func aSampleWithoutAModelFeatureIsRefusedOnStandardError() throws {
        let sample = try ScoreCommandTests.temporaryFile("sample.csv", "applicant_id,Seniority\nA-1,3\n")
        let run = try Self.cli([
            "bundle", "init", "--model", Self.fixture.appendingPathComponent("model.txt").path, "--sample", sample.path,
            "--out", sample.deletingLastPathComponent().appendingPathComponent("bundle").path,
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no column for the model features 'Home', 'Time'"))
    }
}
