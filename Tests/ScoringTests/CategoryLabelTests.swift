import Foundation
import Scoring
import Testing

/// A categorical input read by its codes and by the words the form shows for them, in any
/// case; pages show the words with the code second; anything else is still an unseen category.
@Suite struct CategoryLabelTests {
    static let models = BundledModelTests.models

    static func bundle(_ name: String) throws -> ModelBundle {
        try ModelBundle(directory: models.appendingPathComponent(name))
    }

    static func feature(_ bundle: ModelBundle, _ name: String) throws -> Int {
        try #require(bundle.schema.features.firstIndex { $0.name == name })
    }

    @Test(arguments: ["36 months", "36 MONTHS", "  36 Months ", "term_36"])
    func lendingClubTermByCodeOrLabel(_ cell: String) throws {
        let bundle = try Self.bundle("lending-club")
        let term = try Self.feature(bundle, "term")
        let (value, issue) = bundle.encoder.encode(cell, feature: term)
        #expect(issue == nil, "\(cell): \(issue?.message ?? "")")
        #expect(value == Double(try #require(bundle.schema.features[term].categories?.firstIndex(of: "term_36"))))
    }

    @Test func unknownValueIsStillAWarnedUnseenCategory() throws {
        let bundle = try Self.bundle("lending-club")
        let term = try Self.feature(bundle, "term")
        // A code is read exactly, as LightGBM reads it: another case is an unseen category.
        for cell in ["48 months", "term_48", "36 month", "TERM_36"] {
            let (value, issue) = bundle.encoder.encode(cell, feature: term)
            #expect(value.isNaN)
            #expect(issue?.severity == .warning)
            #expect(issue?.kind == .unseenCategory)
            #expect(issue?.message.contains("'\(cell)' is not a known term") == true)
        }
    }

    /// Every label of every shipped bundle reads as its code, as written and in upper case,
    /// and whole applicants scored by labels get the very probabilities scored by codes.
    @Test(arguments: BundledModelTests.names)
    func everyLabelOfEveryBundleIsItsCode(_ name: String) throws {
        let bundle = try Self.bundle(name)
        var labelled = 0
        for (index, spec) in bundle.schema.features.enumerated() where spec.kind == .categorical {
            for (code, words) in spec.labels ?? [:] {
                guard let position = spec.categories?.firstIndex(of: code) else { continue }
                for cell in [words, words.uppercased()] where !MissingValue.isMissing(cell) {
                    let (value, issue) = bundle.encoder.encode(cell, feature: index)
                    #expect(issue == nil, "\(name).\(spec.name) '\(cell)': \(issue?.message ?? "")")
                    #expect(value == Double(position), "\(name).\(spec.name) '\(cell)'")
                    labelled += 1
                }
                #expect(spec.category(for: words.uppercased()) == code)
            }
        }
        #expect(labelled > 0)
        // The golden rows with every labelled category rewritten as its words score the same.
        let golden = BundledModelTests.models.appendingPathComponent(name).appendingPathComponent("golden.csv")
        let (header, rows) = try Fixtures.readCSV(golden)
        let byCode = rows.prefix(50).map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        let byWords = byCode.map { row in
            Dictionary(uniqueKeysWithValues: row.map { column, cell in
                let spec = bundle.schema.features.first { $0.name == column }
                let words = spec?.labels?[cell]
                return (column, words.map { MissingValue.isMissing($0) ? cell : $0.uppercased() } ?? cell)
            })
        }
        #expect(byWords != byCode)
        let scorer = BatchScorer(bundle: bundle)
        let a = scorer.score(applicants: byCode), b = scorer.score(applicants: byWords)
        #expect(a.map(\.probability) == b.map(\.probability))
        #expect(a.map(\.status) == b.map(\.status))
    }

    @Test func pagesShowTheFormsWordsWhateverWasSent() throws {
        let bundle = try Self.bundle("lending-club")
        let term = bundle.schema.features[try Self.feature(bundle, "term")]
        #expect(term.shown(cell: "36 MONTHS") == "36 months")
        #expect(term.shown(cell: "term_60") == "60 months")
        #expect(term.shown(cell: "48 months") == "48 months")
        let grade = bundle.schema.features[try Self.feature(bundle, "sub_grade")]
        #expect(grade.shown(cell: "B3") == "B3")
    }

    /// A word that spells another category's code reads as that code; a word two codes share reads as neither.
    @Test func codesWinAndSharedWordsAreNotGuessed() {
        let spec = FeatureSpec(
            name: "home", kind: .categorical, categories: ["own", "rent", "other", "parents"],
            labels: ["own": "owned", "rent": "other", "other": "elsewhere", "parents": "elsewhere"])
        let encoder = FeatureEncoder(schema: FeatureSchema(features: [spec]))
        #expect(encoder.encode("other", feature: 0).0 == 2)
        #expect(encoder.encode("OTHER", feature: 0).0.isNaN)
        #expect(encoder.encode("Owned", feature: 0).0 == 0)
        let (shared, issue) = encoder.encode("elsewhere", feature: 0)
        #expect(shared.isNaN)
        #expect(issue?.kind == .unseenCategory)
    }
}
