import Testing

@testable import Scoring

/// Issues as the row and result pages word them (`FieldIssue.message(for:)`): the input by its
/// phrase, its column once in parentheses, values in its unit; and `message`, which the
/// results file's status column and the API carry, unchanged.
@Suite struct FieldIssueWordingTests {
    static let accounts = FeatureSpec(name: "open_il_6m", kind: .integer, minimum: 0, maximum: 31, phrase: "Number of active instalment accounts")
    static let income = FeatureSpec(name: "annual_inc", kind: .numeric, minimum: 0, maximum: 960_000, unit: "USD", phrase: "Annual income")
    static let term = FeatureSpec(name: "term", kind: .categorical, categories: ["term_36", "term_60"], phrase: "Loan term")
    static let schema = FeatureSchema(features: [accounts, income, term])

    static func issues(_ cells: [String]) -> [FieldIssue] {
        let encoder = FeatureEncoder(schema: schema)
        return cells.enumerated().compactMap { encoder.encode($1, feature: $0).1 }
    }

    @Test func outOfRangeValuesAreWordedWithThePhraseAndUnit() {
        let issues = Self.issues(["140", "9600000.0", "term_36"])
        #expect(issues.map { $0.message(in: Self.schema) } == [
            "Number of active instalment accounts (open_il_6m): 140 is above the highest value seen in training (31).",
            "Annual income (annual_inc): $9,600,000 is above the highest value seen in training ($960,000).",
        ])
        #expect(issues.map(\.message) == [
            "140 is above the largest open_il_6m seen in training (31).",
            "9600000.0 is above the largest annual_inc seen in training (960000).",
        ])
        let below = Self.issues(["-1", "-1", ""])
        #expect(below.map { $0.message(for: $0.column == "annual_inc" ? Self.income : Self.accounts) } == [
            "Number of active instalment accounts (open_il_6m): -1 is below the lowest value seen in training (0).",
            "Annual income (annual_inc): -$1 is below the lowest value seen in training ($0).",
        ])
    }

    @Test func numbersWrittenWithADecimalCommaAreShownTheSameWay() throws {
        let encoder = FeatureEncoder(schema: Self.schema, decimalMark: .comma)
        let issue = try #require(encoder.encode("1234567,5", feature: 1).1)
        #expect(issue.message(in: Self.schema) == "Annual income (annual_inc): $1,234,567.5 is above the highest value seen in training ($960,000).")
    }

    @Test func unknownLabelsAndErrorsNameTheInputOnce() {
        let issues = Self.issues(["two", "", "term_48"])
        #expect(issues.map { $0.message(in: Self.schema) } == [
            "Number of active instalment accounts (open_il_6m) must be a whole number, but is 'two'.",
            "Loan term (term): 'term_48' is not a known category (known: term_36, term_60); it was scored as missing.",
        ])
        let other = FieldIssue(severity: .warning, column: "term", value: "x", message: "Something else about term.")
        #expect(other.message(in: Self.schema) == "Loan term (term): Something else about term.")
    }

    /// A row's status for its page: single sentences worded, grouped columns by phrase; the
    /// status the results file carries keeps the raw names.
    @Test func aRowsStatusIsWordedForItsPage() {
        let one = RowOutcome(probability: 0.1, decision: .review, score: 500, issues: Self.issues(["140", "5000", "term_36"]))
        #expect(one.status(in: Self.schema) == "warning: Number of active instalment accounts (open_il_6m): 140 is above the highest value seen in training (31).")
        #expect(one.status == "warning: 140 is above the largest open_il_6m seen in training (31).")
        let three = RowOutcome(probability: 0.1, decision: .review, score: 500, issues: Self.issues(["140", "-5", "term_99"]) + Self.issues(["-1", "", ""]))
        #expect(three.status(in: Self.schema) == "warning: 3 values outside the training range: Number of active instalment accounts (open_il_6m), "
            + "Annual income (annual_inc), Number of active instalment accounts (open_il_6m) — see the batch's drift report. "
            + "Loan term (term): 'term_99' is not a known category (known: term_36, term_60); it was scored as missing.")
        #expect(three.status.hasPrefix("warning: 3 values outside the training range: open_il_6m, annual_inc, open_il_6m — "))
        let invalid = RowOutcome(probability: nil, decision: nil, score: nil, issues: Self.issues(["two", "", ""]))
        #expect(invalid.status(in: Self.schema) == "error: Number of active instalment accounts (open_il_6m) must be a whole number, but is 'two'.")
    }

    @Test func aPhraseThatIsTheColumnsNameIsNotRepeated() {
        let age = FeatureSpec(name: "Age", kind: .integer, minimum: 18, maximum: 68, unit: "years", phrase: "Age")
        let bare = FeatureSpec(name: "x1", kind: .numeric, minimum: 0, maximum: 1)
        let schema = FeatureSchema(features: [age, bare])
        let encoder = FeatureEncoder(schema: schema)
        #expect(encoder.encode("680", feature: 0).1?.message(in: schema) == "Age: 680 years is above the highest value seen in training (68 years).")
        #expect(encoder.encode("2", feature: 1).1?.message(in: schema) == "x1: 2 is above the highest value seen in training (1).")
        let elsewhere = FieldIssue(severity: .warning, column: "gone", value: "1", message: "A message.")
        #expect(elsewhere.message(in: schema) == "A message.")
    }
}
