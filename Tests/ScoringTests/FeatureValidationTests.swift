import Foundation
import Scoring
import Testing

/// Reading cells through a schema: missing tokens, bad numbers, unseen categories, ranges.
@Suite struct FeatureValidationTests {
    static let schema = FeatureSchema(features: [
        FeatureSpec(name: "income", kind: .numeric, minimum: 1000, maximum: 500_000),
        FeatureSpec(name: "term", kind: .integer),
        FeatureSpec(name: "home", kind: .categorical, categories: ["OWN", "RENT", "MORTGAGE"]),
        FeatureSpec(name: "code", kind: .categorical, categories: ["0", "1", "5"], integerCodes: true),
    ])
    let encoder = FeatureEncoder(schema: Self.schema)

    @Test(arguments: ["", "NA", "na", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "NONE", "  NA  "])
    func missingTokensAreMissingForEveryKind(_ token: String) {
        for feature in 0..<4 {
            let (value, issue) = encoder.encode(token, feature: feature)
            #expect(value.isNaN)
            #expect(issue == nil)
        }
    }

    @Test func numbersParseExactlyAsSwiftDoes() {
        var generator = SystemRandomNumberGenerator()
        let fixed = ["0", "-0", "1", "12345", "3.25", ".5", "+7.", "1e-36", "-1e-36", "1E5", "2.2250738585072014e-308",
                     "0.1", "123456789012345678901234567890", "0.30000000000000004", "9007199254740993", "4.9e-324"]
        var samples = fixed
        for _ in 0..<20000 {
            // Long mantissas and exponents around the fast paths' limits.
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 1...19, using: &generator))
            let point = Int.random(in: 0...digits.count, using: &generator)
            let text = digits.prefix(point) + "." + digits.dropFirst(point) + "e\(Int.random(in: -40...40, using: &generator))"
            samples.append(String(text))
        }
        for _ in 0..<5000 {
            let value = Double(bitPattern: generator.next() >> 2) * (Bool.random(using: &generator) ? 1 : -1)
            if value.isFinite { samples.append("\(value)") }
            samples.append(String(Double.random(in: -1e6...1e6, using: &generator)))
        }
        for text in samples {
            let (value, issue) = encoder.encode(text, feature: 0)
            #expect(value.bitPattern == Double(text)?.bitPattern, "\(text)")
            #expect(issue?.severity != .error)
        }
    }

    @Test func featureMatrixStoresTinyValuesAsZeroAsLightGBMDoes() {
        var matrix = FeatureMatrix(featureCount: 1, rowCount: 1)
        for tiny in [1e-36, -1e-36, Double(Float(1e-35)), -0.0] {
            matrix[0, 0] = tiny
            #expect(matrix[0, 0].bitPattern == (0.0).bitPattern)
        }
        matrix[0, 0] = 1.1e-35
        #expect(matrix[0, 0] == 1.1e-35)
        matrix[0, 0] = .nan
        #expect(matrix[0, 0].isNaN)
    }

    @Test func badNumberNamesColumnAndValue() throws {
        let (value, issue) = encoder.encode("abc", feature: 0)
        #expect(value.isNaN)
        let problem = try #require(issue)
        #expect(problem.severity == .error)
        #expect(problem.column == "income")
        #expect(problem.value == "abc")
        #expect(problem.message.contains("income") && problem.message.contains("abc"))
    }

    @Test(arguments: ["inf", "1,5", "12%", "0x10", "1e", "--1", "1.2.3", "five"])
    func nonNumbersAreErrors(_ text: String) {
        let (_, issue) = encoder.encode(text, feature: 0)
        #expect(issue?.severity == .error, "\(text) should be refused")
    }

    @Test func thousandsSeparatorGetsAHint() throws {
        let issue = try #require(encoder.encode("1,234", feature: 0).1)
        #expect(issue.message.contains("thousands"))
    }

    @Test func integerKindRefusesFractions() throws {
        #expect(encoder.encode("36", feature: 1).0 == 36)
        let issue = try #require(encoder.encode("36.5", feature: 1).1)
        #expect(issue.severity == .error)
        #expect(issue.message.contains("whole number"))
    }

    @Test func outOfRangeIsAWarning() throws {
        let (value, issue) = encoder.encode("999", feature: 0)
        #expect(value == 999)
        let warning = try #require(issue)
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("1000"))
        #expect(encoder.encode("750000", feature: 0).1?.severity == .warning)
        #expect(encoder.encode("5000", feature: 0).1 == nil)
    }

    @Test func labelsBecomeCodesAndUnseenLabelsAreMissingWithAWarning() throws {
        #expect(encoder.encode("OWN", feature: 2).0 == 0)
        #expect(encoder.encode("MORTGAGE", feature: 2).0 == 2)
        #expect(encoder.encode(" RENT ", feature: 2).0 == 1)
        let (value, issue) = encoder.encode("BOAT", feature: 2)
        #expect(value.isNaN)
        let warning = try #require(issue)
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("BOAT") && warning.message.contains("missing"))
    }

    @Test func integerCodesPassThroughAndUnknownCodesWarn() throws {
        #expect(encoder.encode("5", feature: 3) == (5, nil))
        let (value, issue) = encoder.encode("-3", feature: 3)
        #expect(value == -3)
        #expect(issue?.severity == .warning)
        #expect(encoder.encode("x", feature: 3).1?.severity == .error)
    }
}

@Suite struct ColumnMappingTests {
    let schema = FeatureSchema(
        features: ["a", "b", "c"].map { FeatureSpec(name: $0, kind: .numeric) }, idColumn: "id")

    @Test func columnOrderDoesNotMatterAndExtrasAreKept() throws {
        let mapping = try ColumnMapping(header: ["note", "c", "id", "a", "b"], schema: schema)
        #expect(mapping.featureColumns == [3, 4, 1])
        #expect(mapping.idColumn == 2)
    }

    @Test func everyMissingColumnIsNamedWithTheExpectedHeader() throws {
        do {
            _ = try ColumnMapping(header: ["A", "x"], schema: schema)
            Issue.record("a file without a, b, c must be refused")
        } catch {
            #expect(error.missingColumns == ["a", "b", "c"])
            #expect(error.expectedHeader == ["a", "b", "c"])
            #expect(error.message.contains("'a', 'b', 'c'"))
            #expect(error.message.contains("case-sensitive"))
            #expect(error.message.contains("a,b,c"))
        }
    }

    @Test func duplicateColumnsAreRefused() throws {
        do {
            _ = try ColumnMapping(header: ["a", "b", "c", "b"], schema: schema)
            Issue.record("a duplicate column must be refused")
        } catch {
            #expect(error.message.contains("'b'"))
        }
    }
}

@Suite struct BatchScorerTests {
    @Test func invalidRowsAreReportedAndTheOthersScored() throws {
        let dir = Fixtures.goldenCase("mixed_realistic")
        let model = try LightGBMModel(contentsOf: dir.appendingPathComponent("model.txt"))
        let scorer = BatchScorer(bundle: ModelBundle(bareModel: model, name: "mixed_realistic")).modelOnly()
        let numeric = try #require(scorer.schema.features.first { $0.kind == .numeric })
        var good: [String: String] = [:]
        var bad: [String: String] = [:]
        bad[numeric.name] = "twelve"
        good[numeric.name] = "12"
        let outcomes = scorer.score(applicants: [good, bad, good])
        #expect(outcomes[0].isValid && outcomes[2].isValid)
        #expect(outcomes[0].probability == outcomes[2].probability)
        #expect(!outcomes[1].isValid)
        #expect(outcomes[1].decision == nil)
        #expect(outcomes[1].status.hasPrefix("error: "))
        #expect(outcomes[1].status.contains("twelve"))
        #expect(outcomes[0].status == "ok" || outcomes[0].status.hasPrefix("warning: "))
    }

    @Test func evenPolicyDeclinesAtOneHalf() {
        #expect(DecisionPolicy.even.decide(probability: 0.5) == .decline)
        #expect(DecisionPolicy.even.decide(probability: 0.4999999) == .approve)
        let banded = DecisionPolicy(approveBelow: 0.1, declineAtOrAbove: 0.3)
        #expect(banded.decide(probability: 0.2) == .review)
    }
}
