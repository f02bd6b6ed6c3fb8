import Foundation
import Scoring
import Testing

/// PSI and drift reports against hand-computed cases.
@Suite struct DriftTests {
    static func spec(_ name: String, _ kind: FeatureKind, categories: [String]? = nil) -> FeatureSpec {
        FeatureSpec(name: name, kind: kind, categories: categories)
    }

    static func profile(_ specs: [FeatureSpec], _ references: [String: BundleManifest.FeatureReference], score: BundleManifest.FeatureReference? = nil,
                        bands: DriftBands? = nil, holdOnDrift: Bool? = nil) throws -> (DriftProfile, FeatureSchema) {
        let schema = FeatureSchema(features: specs)
        let manifestJSON: [String: Any] = [
            "format_version": 1, "name": "t", "version": "1", "created": "", "title": "t", "description": "",
            "target": ["column": "y", "positive_label": "1", "definition": ""], "features": [], "derived_features": [],
            "model_features": [], "policy": ["approve_below": 0.1, "decline_at_or_above": 0.2],
            "score_scaling": ["base_points": 600, "base_odds": 50, "pdo": 20], "provenance": ["model_sha256": ""],
        ]
        var manifest = try BundleManifest.decode(try JSONSerialization.data(withJSONObject: manifestJSON))
        manifest.reference = .init(features: references, score: score)
        manifest.driftBands = bands
        manifest.policy.holdOnDrift = holdOnDrift
        return (try #require(DriftProfile(schema: schema, manifest: manifest)), schema)
    }

    @Test func psiIsTheSumOverBinsWithTheFloor() {
        // (0.5-0.25)·ln(0.5/0.25) + (0.25-0.5)·ln(0.25/0.5) + (0.25-0.25)·0 = 0.5·ln 2
        #expect(abs(PopulationStability.index(expected: [0.25, 0.5, 0.25], actual: [0.5, 0.25, 0.25]) - 0.5 * log(2.0)) < 1e-15)
        // An empty actual bin is floored at 0.0001 instead of making the PSI infinite.
        let emptied: Double = (0.0001 - 0.5) * log(0.0001 / 0.5)
        let floored: Double = emptied + (1 - 0.5) * log(1 / 0.5)
        #expect(abs(PopulationStability.index(expected: [0.5, 0.5], actual: [0, 1]) - floored) < 1e-12)
        #expect(PopulationStability.index(expected: [0.3, 0.7], actual: [0.3, 0.7]) == 0)
    }

    @Test func numericInputsAreBinnedWithMissingAndOutOfRangeCounted() throws {
        let reference = BundleManifest.FeatureReference(kind: "numeric", edges: [0, 10, 20], proportions: [0.45, 0.45], missing: 0.1)
        let (profile, schema) = try Self.profile([Self.spec("x", .numeric)], ["x": reference])
        var tallies = profile.emptyTallies()
        // -5 (below, first bin), 0, 5 (bin 0); 10, 20 (bin 1, 20 is the last edge), 25 (above, last bin); two missing.
        for value in [-5, 0, 5, 10, 20, 25, .nan, .nan] as [Double] {
            profile.tally(feature: 0, value: value, issue: nil, into: &tallies)
        }
        #expect(tallies.inputs[0].counts == [3, 3, 2])
        #expect(tallies.inputs[0].below == 1 && tallies.inputs[0].above == 1)
        let report = DriftReport(profile: profile, tallies: tallies, schema: schema)
        let x = try #require(report.inputs.first)
        let actual: [Double] = [3.0 / 8, 3.0 / 8, 2.0 / 8]
        #expect(x.actual == actual)
        #expect(x.expected == [0.45, 0.45, 0.1])
        let shifted: Double = 2 * (0.375 - 0.45) * log(0.375 / 0.45)
        let psi: Double = shifted + (0.25 - 0.1) * log(0.25 / 0.1)
        #expect(abs(x.psi - psi) < 1e-15)
        // Moderate by the fixed bands, but 8 rows leave noise room for far more (`DriftNoise`).
        #expect(DriftBands.standard.band(x.psi) == .moderate)
        #expect(x.band == .stable && (x.bands?.moderate ?? 0) > x.psi)
        #expect(x.missingShare == 0.25)
        #expect(x.belowRangeShare == 0.125)
        #expect(x.aboveRangeShare == 0.125)
        #expect(x.bins == ["[0, 10)", "[10, 20]", "missing"])
    }

    @Test func allMissingIsAMajorShift() throws {
        let reference = BundleManifest.FeatureReference(kind: "numeric", edges: [0, 1], proportions: [1.0], missing: 0)
        let (profile, schema) = try Self.profile([Self.spec("x", .numeric)], ["x": reference])
        var tallies = profile.emptyTallies()
        for _ in 0..<10 { profile.tally(feature: 0, value: .nan, issue: nil, into: &tallies) }
        let x = try #require(DriftReport(profile: profile, tallies: tallies, schema: schema).inputs.first)
        // Expected [1, 0.0001 floor], actual [0.0001 floor, 1].
        let gone: Double = (0.0001 - 1) * log(0.0001 / 1)
        let psi: Double = gone + (1 - 0.0001) * log(1 / 0.0001)
        #expect(abs(x.psi - psi) < 1e-12)
        #expect(x.band == .major && x.missingShare == 1)
    }

    @Test func categoriesKeepTheirOwnBinsAndUnseenOnesShareOne() throws {
        let reference = BundleManifest.FeatureReference(kind: "categorical", proportions: [1.0], categories: ["a"], missing: 0)
        let (profile, schema) = try Self.profile([Self.spec("c", .categorical, categories: ["a"])], ["c": reference])
        var tallies = profile.emptyTallies()
        let unseen = FieldIssue(severity: .warning, column: "c", value: "zz", message: "")
        profile.tally(feature: 0, value: 0, issue: nil, into: &tallies)
        profile.tally(feature: 0, value: .nan, issue: unseen, into: &tallies)
        profile.tally(feature: 0, value: .nan, issue: nil, into: &tallies)
        profile.tally(feature: 0, value: 0, issue: nil, into: &tallies)
        #expect(tallies.inputs[0].counts == [2, 1, 1])
        let c = try #require(DriftReport(profile: profile, tallies: tallies, schema: schema).inputs.first)
        #expect(c.bins == ["a", "missing", "unseen"])
        #expect(c.unseenShare == 0.25 && c.missingShare == 0.25)
        let kept: Double = (0.5 - 1) * log(0.5)
        let psi: Double = kept + 2 * (0.25 - 0.0001) * log(0.25 / 0.0001)
        #expect(abs(c.psi - psi) < 1e-12)
    }

    @Test func bandsAreConfigurableAndTalliesAddUp() throws {
        let bands = DriftBands(moderate: 0.05, major: 0.1)
        #expect(bands.band(0.04) == .stable && bands.band(0.05) == .moderate && bands.band(0.11) == .major)
        #expect(DriftBands.standard.band(0.25) == .moderate && DriftBands.standard.band(0.2501) == .major)
        let reference = BundleManifest.FeatureReference(kind: "numeric", edges: [0, 10, 20], proportions: [0.5, 0.5], missing: 0)
        let (profile, _) = try Self.profile([Self.spec("x", .numeric)], ["x": reference], bands: bands)
        #expect(profile.bands == bands)
        var a = profile.emptyTallies(), b = profile.emptyTallies(), both = profile.emptyTallies()
        for (i, v) in [1.0, 15, 30, .nan, 2].enumerated() {
            if i % 2 == 0 { profile.tally(feature: 0, value: v, issue: nil, into: &a) } else { profile.tally(feature: 0, value: v, issue: nil, into: &b) }
            profile.tally(feature: 0, value: v, issue: nil, into: &both)
        }
        a += b
        #expect(a == both)
    }

    @Test func aMajorDriftHoldsApprovalsUnlessTheBundleLetsThemStand() throws {
        let reference = BundleManifest.FeatureReference(kind: "numeric", edges: [0, 1], proportions: [1.0], missing: 0)
        for holdOnDrift in [nil, true, false] as [Bool?] {
            let (profile, schema) = try Self.profile([Self.spec("x", .numeric)], ["x": reference], holdOnDrift: holdOnDrift)
            #expect(profile.holdsApprovals == (holdOnDrift ?? true))
            var tallies = profile.emptyTallies()
            for _ in 0..<10 { profile.tally(feature: 0, value: .nan, issue: nil, into: &tallies) }
            let report = DriftReport(profile: profile, tallies: tallies, schema: schema)
            #expect(report.band == .major)
            guard holdOnDrift ?? true else {
                #expect(DriftHold(report: report, schema: schema) == nil)
                continue
            }
            let hold = try #require(DriftHold(report: report, schema: schema))
            var approved = RowOutcome(probability: 0.01, decision: .approve, score: 700, issues: [])
            var declined = RowOutcome(probability: 0.9, decision: .decline, score: 400, issues: [])
            #expect(hold.apply(to: &approved) && !hold.apply(to: &declined))
            #expect(approved.decision == .review && approved.issues.last?.kind == .heldForDrift && declined.decision == .decline)
            let reason = "Held for review: this file does not look like the training data — x: 100 % of values are missing, against 0 % in training — is the column filled in?"
            #expect(approved.status == "warning: " + reason)
            #expect(hold.status(after: "ok") == approved.status)
            #expect(hold.status(after: "warning: A.") == "warning: A. " + reason)
        }
    }

    @Test func aBareModelHasNoDriftProfile() {
        #expect(DriftProfile(schema: FeatureSchema(features: [Self.spec("x", .numeric)]), manifest: nil) == nil)
    }

    @Test func theShippedBundlesHaveAProfileForEveryInputAndTheScore() throws {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/models")
        for name in ["lending-club", "german-credit", "credit-data"] {
            let bundle = try ModelBundle(directory: models.appendingPathComponent(name))
            let profile = try #require(DriftProfile(schema: bundle.schema, manifest: bundle.manifest))
            #expect(profile.inputs.allSatisfy { $0 != nil }, "\(name)")
            #expect(profile.score != nil, "\(name)")
            for bins in profile.inputs.compactMap({ $0 }) {
                #expect(abs(bins.expected.reduce(0, +) - 1) < 1e-9, "\(name) \(bins.name)")
            }
        }
    }
}
