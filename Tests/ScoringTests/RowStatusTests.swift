import Scoring
import Testing

/// A row's status stays one short line when many values are out of range or unseen.
@Suite struct RowStatusTests {
    static func outOfRange(_ column: String) -> FieldIssue {
        FieldIssue(severity: .warning, column: column, value: "9e9", message: "9e9 is above the largest \(column) seen in training (10).", kind: .outOfRange)
    }

    @Test func manyOutOfRangeValuesMakeOneLine() {
        let names = (1...10).map { String(format: "NUM_%03d", $0) }
        let unseen = FieldIssue(severity: .warning, column: "grade", value: "Z", message: "'Z' is not a known grade (known: A, B); it was scored as missing.", kind: .unseenCategory)
        let outcome = RowOutcome(probability: 0.1, decision: .approve, score: 700, issues: names.map(Self.outOfRange) + [unseen])
        #expect(outcome.status == "warning: 10 values outside the training range: NUM_001, NUM_002, NUM_003, NUM_004, NUM_005, NUM_006, NUM_007, NUM_008, … — see the batch's drift report. 'Z' is not a known grade (known: A, B); it was scored as missing.")
    }

    @Test func aFewKeepTheirSentencesAndErrorsAreAlwaysInFull() {
        let two = RowOutcome(probability: 0.1, decision: .approve, score: 700, issues: [Self.outOfRange("a"), Self.outOfRange("b")])
        #expect(two.status == "warning: 9e9 is above the largest a seen in training (10). 9e9 is above the largest b seen in training (10).")
        let error = FieldIssue(severity: .error, column: "x", value: "abc", message: "'x' must be a number, but is 'abc'.")
        let invalid = RowOutcome(probability: nil, decision: nil, score: nil, issues: (1...5).map { Self.outOfRange("n\($0)") } + [error])
        #expect(invalid.status == "error: 'x' must be a number, but is 'abc'.")
    }

    @Test func theEncoderMarksRangeAndCategoryWarnings() {
        let schema = FeatureSchema(features: [
            FeatureSpec(name: "n", kind: .numeric, minimum: 0, maximum: 10),
            FeatureSpec(name: "c", kind: .categorical, categories: ["a", "b"]),
        ])
        let encoder = FeatureEncoder(schema: schema)
        #expect(encoder.encode("11", feature: 0).1?.kind == .outOfRange)
        #expect(encoder.encode("5", feature: 0).1 == nil)
        #expect(encoder.encode("z", feature: 1).1?.kind == .unseenCategory)
        #expect(encoder.encode("abc", feature: 0).1?.kind == nil)
    }
}
