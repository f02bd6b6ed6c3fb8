@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Mustache
import Testing

/// How a typed page reads in a template: swift-mustache sees stored properties only, and a nil
/// optional reads as an absent key, so the lookup goes on outwards as it did with dictionaries.
struct PageViewTests {
    struct Row {
        let name: String
        let note: String?
        var shouting: String { name.uppercased() }
    }

    struct Page: PageView {
        static let template = "test"
        let base: PageBase
        let rows: [Row]
        let note: String
        let flag: Bool
        let missing: String?
    }

    private func render(_ template: String, _ page: Page) throws -> String {
        var library = MustacheLibrary()
        try library.register(template, named: Page.template)
        return library.render(PageRoot(page: page), withTemplate: Page.template) ?? "(no template)"
    }

    private let page = Page(
        base: PageBase(title: "A title", csrf: "token"), rows: [Row(name: "a", note: "own"), Row(name: "b", note: nil)],
        note: "on the page", flag: false, missing: nil)

    @Test func basesKeysAreReadWhereThePageHasNone() throws {
        #expect(try render("{{title}}|{{csrf}}|{{note}}", page) == "A title|token|on the page")
    }

    @Test func aNilOptionalReadsOutwardsAsAnAbsentKeyDid() throws {
        #expect(try render("{{#rows}}{{name}}:{{note}};{{/rows}}", page) == "a:own;b:on the page;")
        #expect(try render("{{#missing}}shown{{/missing}}{{^missing}}absent{{/missing}}", page) == "absent")
    }

    @Test func falseAndComputedProperties() throws {
        #expect(try render("{{^flag}}off{{/flag}}", page) == "off")
        // A computed property is invisible: only stored ones are keys.
        #expect(try render("{{#rows}}[{{shouting}}]{{/rows}}", page) == "[][]")
    }
}
