@testable import LoanRiskHTTP
import Scoring
import Testing

/// One format per kind of value (issue 32): the same kind of number reads the same way on
/// every page, and an input's value reads as the row page and the reasons write it.
@Suite struct FormattingTests {
    @Test func eachKindHasOneFormat() {
        #expect(Formatting.percent(0.04213) == "4.21 %")
        #expect(Formatting.percent(nil) == "—")
        #expect(Formatting.rate(7, of: 50) == "14.0 %")
        #expect(Formatting.rate(7, of: 0) == "—")
        #expect(Formatting.share(0.348) == "34.8 %")
        #expect(Formatting.count(100_200) == "100,200")
        // Expected defaults are grouped like the counts beside them ("5702.2" beside "100,200" was the bug).
        #expect(Formatting.expected(5702.24) == "5,702.2")
        #expect(Formatting.expected(766.64) == "766.6")
        #expect(Formatting.expected(0.04) == "0.0")
        #expect(Formatting.expected(1_234_567.96) == "1,234,568.0")
        #expect(Formatting.points(0.0123) == "+1.23 points")
        #expect(Formatting.points(-0.0035) == "-0.35 points")
        #expect(Formatting.statistic(0.12345) == "0.123")
        #expect(Formatting.ratio(0.8349) == "0.83")
        #expect(Formatting.score(619) == "619")
        #expect(Formatting.score(nil) == "—")
    }

    /// An uploaded cell as the batch table shows it: money, rates and months in their unit,
    /// codes in the bundle's words, text that is not a number as it was sent.
    @Test func inputValuesReadAsTheRowPageWritesThem() {
        let income = FeatureSpec(name: "annual_inc", kind: .numeric, unit: "USD", phrase: "Annual income")
        let rate = FeatureSpec(name: "int_rate", kind: .numeric, unit: "%", phrase: "Interest rate")
        let length = FeatureSpec(name: "emp_length", kind: .categorical, categories: ["emp_lt_1"], labels: ["emp_lt_1": "under 1 year"])
        #expect(income.shown(cell: "51000.0") == "$51,000")
        #expect(income.shown(cell: "1234567.89") == "$1,234,567.89")
        #expect(rate.shown(cell: "12.99") == "12.99 %")
        #expect(rate.shown(cell: "0.1299") == "0.13 %")
        #expect(length.shown(cell: "emp_lt_1") == "under 1 year")
        #expect(income.shown(cell: "n/a") == "n/a")
        #expect(income.shown(cell: "") == "")
    }

    /// The encoder's sentences about a field open with the business name, the column second.
    @Test func fieldSentencesNameTheInputFirst() {
        let amount = FeatureSpec(name: "funded_amnt", kind: .integer, unit: "USD", phrase: "Loan amount")
        #expect(FieldIssue.worded("'funded_amnt' must be a whole number, but is '12.5'.", about: amount)
                == "Loan amount (funded_amnt) must be a whole number, but is '12.5'.")
        #expect(FieldIssue.worded("Something else.", about: amount) == "Loan amount (funded_amnt): Something else.")
    }
}
