@testable import App
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
