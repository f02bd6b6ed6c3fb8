import Foundation
import Testing

@testable import Scoring

/// Drift events' hysteresis, the window's samples, and the compact stored issues.
@Suite struct DriftAlarmTests {
    @Test func aMeasureRaisesOnceAPerCrossingAndReArmsBelowHalfwayToModerate() {
        var alarm = DriftAlarm()
        let bands = DriftBands.standard
        #expect(DriftAlarm.rearm(bands) == 0.175)
        #expect(alarm.update(psi: ["x": 0.20, "y": 0.05], bands: bands).isEmpty)
        #expect(alarm.update(psi: ["x": 0.30, "y": 0.05], bands: bands) == ["x"])
        #expect(alarm.update(psi: ["x": 0.26], bands: bands).isEmpty, "still above: the same crossing")
        #expect(alarm.update(psi: ["x": 0.24], bands: bands).isEmpty)
        #expect(alarm.update(psi: ["x": 0.26], bands: bands).isEmpty, "wavered around 0.25 without falling below 0.175")
        #expect(alarm.raised == ["x"])
        #expect(alarm.update(psi: ["x": 0.17], bands: bands).isEmpty)
        #expect(alarm.raised.isEmpty)
        #expect(alarm.update(psi: ["x": 0.4, "y": 0.9], bands: bands) == ["x", "y"])
        // A bundle's own bands move both bounds.
        var strict = DriftAlarm()
        #expect(strict.update(psi: ["x": 0.12], bands: DriftBands(moderate: 0.05, major: 0.1)) == ["x"])
    }

    @Test func samplesTallyAsTheCellsDoAndSurviveTheirBytes() throws {
        let spec = FeatureSpec(name: "rate", kind: .numeric, minimum: 5, maximum: 30)
        let grade = FeatureSpec(name: "grade", kind: .categorical, categories: ["A", "B"])
        let schema = FeatureSchema(features: [spec, grade])
        let reference = BundleManifest.Reference(features: [
            "rate": .init(kind: "numeric", edges: [5, 10, 20, 30], proportions: [0.3, 0.4, 0.2], missing: 0.1),
            "grade": .init(kind: "categorical", proportions: [0.5, 0.4], categories: ["A", "B"], missing: 0.1),
        ], probability: .init(kind: "numeric", edges: [0, 0.5, 1], proportions: [0.5, 0.5], missing: 0))
        let profile = try #require(DriftProfile(schema: schema, reference: reference))
        let cells: [(Double, FieldIssue?, Double, FieldIssue?, Double)] = [
            (7, nil, 0, nil, 0.1), (2, nil, 1, nil, 0.7), (.nan, nil, .nan, FieldIssue(severity: .warning, column: "grade", value: "Z", message: ""), 0.2),
            (45, nil, 1, nil, 0.9),
        ]
        var direct = profile.emptyTallies()
        var samples: [DriftSample] = []
        for (rate, rateIssue, g, gradeIssue, p) in cells {
            profile.tally(feature: 0, value: rate, issue: rateIssue, into: &direct)
            profile.tally(feature: 1, value: g, issue: gradeIssue, into: &direct)
            profile.tallyScore(probability: p, into: &direct)
            let sample = DriftSample(codes: [
                profile.code(feature: 0, value: rate, issue: rateIssue), profile.code(feature: 1, value: g, issue: gradeIssue), profile.scoreCode(probability: p),
            ])
            samples.append(try #require(DriftSample(bytes: sample.bytes)))
        }
        #expect(profile.tallies(of: samples) == direct)
        #expect(direct.inputs[0].below == 1 && direct.inputs[0].above == 1)
        // A sample of another shape is skipped whole, not misread.
        #expect(profile.tallies(of: [DriftSample(codes: [0])]) == profile.emptyTallies())
    }

    @Test func storedIssuesReadBackAsTheSameSentences() throws {
        let encoder = FeatureEncoder(schema: FeatureSchema(features: [
            FeatureSpec(name: "rate", kind: .numeric, minimum: 5, maximum: 30.5),
            FeatureSpec(name: "grade", kind: .categorical, categories: ["A", "B"]),
        ]))
        let below = try #require(encoder.encode("0.07", feature: 0).1)
        let above = try #require(encoder.encode("99", feature: 0).1)
        let unseen = try #require(encoder.encode("Q\"\\\n", feature: 1).1)
        let error = try #require(encoder.encode("12%", feature: 0).1)
        #expect(below.message == "0.07 is below the smallest rate seen in training (5).")
        #expect(above.message == "99 is above the largest rate seen in training (30.5).")
        let json = FieldIssue.json(byRow: [(row: 3, issues: [below, above]), (row: 9, issues: [unseen, error]), (row: 10, issues: [])])
        let read = try JSONDecoder().decode([String: [FieldIssue]].self, from: Data(json.utf8))
        #expect(read.keys.sorted() == ["3", "9"])
        #expect(read["3"] == [below, above])
        #expect(read["9"] == [unseen, error])
        #expect(read["9"]?.first?.value == "Q\"\\\n")
        #expect(read["3"]?.map(\.message) == [below.message, above.message])
    }
}
