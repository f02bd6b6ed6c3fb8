@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Testing

@Suite struct JSONReaderTests {
    @Test func readsEveryKindOfValueAndKeepsNumbersExact() throws {
        let text = #"{"a": [1, -0.5, 1e-36, 0.7105365688914734], "b": "x\"\u00e9\ud83d\ude00\n", "c": true, "d": null, "e": {}}"#
        let value = try JSONReader.parse(Array(text.utf8))
        guard case .object(let o) = value else { Issue.record("not an object"); return }
        #expect(o["a"] == .array([.number("1"), .number("-0.5"), .number("1e-36"), .number("0.7105365688914734")]))
        #expect(o["b"] == .string("x\"é😀\n"))
        #expect(o["c"] == .bool(true))
        #expect(o["d"] == .null)
        #expect(o["e"] == .object([:]))
    }

    @Test(arguments: [("{\"a\": 1,, }", 8), ("[1, 2", 5), ("{\"a\" 1}", 5), ("01", 1), ("[1.]", 3), ("\"\u{01}\"", 1), ("nul", 0), ("{} x", 3)])
    func syntaxErrorsSayWhere(_ sample: (String, Int)) {
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(Array(sample.0.utf8)) }
        do {
            _ = try JSONReader.parse(Array(sample.0.utf8))
        } catch {
            #expect(error.offset == sample.1, "\(sample.0): \(error.message)")
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(Array(deep.utf8)) }
    }
}

/// The predict body's own reader (`JSONReader.flatApplicants`) against the tree: on every body
/// it takes it must give the applicants the tree gives, and it must leave to the tree every
/// body it cannot read the same way.
@Suite struct FlatApplicantsReaderTests {
    /// The general path's reading of `text`: the tree, then each applicant's fields.
    private func tree(_ text: String) throws -> (applicants: [ApplicantFields], single: Bool)? {
        guard case .object(let object) = try JSONReader.parse(Array(text.utf8)) else { return nil }
        guard let list = object["applicants"] else { return ([ApplicantFields(.object(object))], true) }
        guard case .array(let elements) = list else { return nil }
        return (elements.map(ApplicantFields.init), false)
    }

    @Test(arguments: [
        #"{"a": 1, "b": "x\"y\u00e9", "c": true, "d": false, "e": null, "f": -1.5e+3}"#,
        #"  {"a": 1, "a": 2}  "#,
        #"{}"#,
        #"{"applicants": []}"#,
        #"{"applicants": [{"a": 0.7105365688914734}, {}, {"b": "2"}], "note": {"x": [1]}}"#,
        #"{"note": "first", "applicants": [{"a": 1}]}"#,
        #"{"applicant_id": "LC-1", "term": "term_36", "int_rate": 6.49}"#,
    ])
    func agreesWithTheTree(_ text: String) throws {
        let flat = try #require(JSONReader.flatApplicants(Array(text.utf8), fieldsHint: 4))
        let expected = try #require(try tree(text))
        #expect(flat.applicants == expected.applicants)
        #expect(flat.single == expected.single)
    }

    @Test(arguments: [
        #"{"a": [1]}"#, #"{"a": {"b": 1}}"#, #"{"applicants": [1]}"#, #"{"applicants": [{"a": [1]}]}"#,
        #"{"applicants": {}}"#, #"{"applicants": [], "applicants": []}"#, #"[{"a": 1}]"#, #""x""#,
        #"{"a": 1,, }"#, #"{"a": 1} x"#, #"{"a": nul}"#, #"{"a": 01}"#, #"{"applicants": [{"a": 1}"#,
    ])
    func leavesEveryOtherBodyToTheTree(_ text: String) {
        #expect(JSONReader.flatApplicants(Array(text.utf8), fieldsHint: 4) == nil)
    }
}
