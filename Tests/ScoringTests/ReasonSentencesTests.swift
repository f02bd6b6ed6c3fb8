import Foundation
import Scoring
import Testing

/// Every sentence the three shipped bundles say about their golden rows (Data/models/*/
/// golden.csv: real applicants and the edge rows: missing, unseen, zero denominators, out of
/// range), printed grouped by model and input so a person can read them in the test log, and
/// held to what makes a sentence read oddly: a word said twice in a row, a value that repeats
/// its input's name ("Income verification verified"), a share multiplied into an implausible
/// percentage, a column's raw name where the bundle has words for it, numbers written two ways.
/// Serialized, so that the printed sentences are not interleaved with other tests' output.
@Suite(.serialized) struct ReasonSentencesTests {
    /// One bundle's golden rows, encoded, with every feature described and every issue worded.
    struct Said {
        let bundle: ModelBundle
        let ids: [String]
        let matrix: FeatureMatrix
        let issues: [[FieldIssue]]
        /// Per row, every model feature worded as reasons word it (`ReasonWriter.describe`).
        let described: [[Reason]]
        /// Per row, its principal reasons, all of them (no limit).
        let reasons: [[Reason]]
    }

    /// Each bundle's golden rows, described once for all the tests here (the contributions of
    /// every golden row are most of the suite's time).
    static let cache: [String: Result<Said, any Error>] = Dictionary(
        uniqueKeysWithValues: BundledModelTests.names.map { name in (name, Result { try read(name) }) })

    static func said(_ name: String) throws -> Said {
        guard let said = cache[name] else { throw CocoaError(.fileNoSuchFile) }
        return try said.get()
    }

    static func read(_ name: String) throws -> Said {
        let golden = try BundledModelTests.golden(name)
        let (bundle, header, records, matrix, issues) = (golden.bundle, golden.header, golden.records, golden.matrix, golden.issues)
        let phi = try bundle.model.contributions(matrix, threads: 2)
        let width = bundle.model.featureCount + 1
        let writer = bundle.reasonWriter
        var described: [[Reason]] = []
        var reasons: [[Reason]] = []
        for row in 0..<records.count {
            let contributions = phi[row * width..<(row + 1) * width - 1]
            described.append(writer.describe(contributions: contributions, features: matrix.row(row), issues: issues[row]))
            reasons.append(writer.reasons(contributions: contributions, features: matrix.row(row), issues: issues[row], limit: width))
        }
        let idColumn = try #require(header.firstIndex(of: bundle.manifest?.idColumn ?? "applicant_id"))
        return Said(
            bundle: bundle, ids: records.map { $0[idColumn] }, matrix: matrix, issues: issues, described: described, reasons: reasons)
    }

    /// Prints each input's distinct sentences (with how many rows say each) and each column's
    /// warnings as the row and result pages word them. Read them after a change of wording.
    @Test(arguments: BundledModelTests.names)
    func printsEverySentenceByInput(_ name: String) throws {
        let s = try Self.said(name)
        var lines = ["", "══ \(name): sentences for \(s.ids.count) golden rows, by input ══"]
        for (index, feature) in s.bundle.model.featureNames.enumerated() {
            var counts: [String: Int] = [:]
            for row in s.described.indices { counts[s.described[row][index].text, default: 0] += 1 }
            let principal = Set(s.reasons.flatMap { $0.filter { $0.feature == feature }.map(\.text) })
            lines.append("── \(feature) (\(s.described[0][index].phrase)): \(counts.count) sentences, \(principal.count) given as principal reasons")
            for (text, count) in counts.sorted(by: { $0.key < $1.key }) {
                lines.append("   \(principal.contains(text) ? "*" : " ") \(text)  [\(count)]")
            }
        }
        lines.append("── warnings, as the pages word them")
        var warnings: [String: Set<String>] = [:]
        for row in s.issues.indices {
            for issue in s.issues[row] { warnings[issue.column, default: []].insert("\(s.ids[row]): \(issue.message(in: s.bundle.schema))") }
        }
        for (column, texts) in warnings.sorted(by: { $0.key < $1.key }) {
            lines.append("   \(column)")
            for text in texts.sorted() { lines.append("     \(text)") }
        }
        print(lines.joined(separator: "\n"))
        #expect(s.described.allSatisfy { $0.count == s.bundle.model.featureCount })
    }

    /// Every sentence once, with the reason it came from (the row's features, described).
    static func sentences(_ s: Said) -> [(row: Int, reason: Reason)] {
        s.described.indices.flatMap { row in s.described[row].map { (row, $0) } }
    }

    /// Words of a sentence: runs of letters, digits and the marks inside a word, lowercased.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "'" || $0 == "_") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "-'")) }.filter { !$0.isEmpty }
    }

    /// The stem two words share when one repeats the other: the same word, or a common start of
    /// five letters or more ("verification" / "verified", "records" / "record").
    static func repeats(_ a: String, _ b: String) -> Bool {
        guard a.count >= 4, b.count >= 4, a.allSatisfy(\.isLetter), b.allSatisfy(\.isLetter) else { return false }
        if a == b { return true }
        return zip(a, b).prefix { $0 == $1 }.count >= 5
    }

    @Test(arguments: BundledModelTests.names)
    func noWordIsSaidTwiceInARow(_ name: String) throws {
        let s = try Self.said(name)
        for (row, reason) in Self.sentences(s) {
            let words = Self.words(reason.text)
            for (a, b) in zip(words, words.dropFirst()) where a == b && a.contains(where: \.isLetter) {
                Issue.record("\(name) \(s.ids[row]): '\(a)' twice in a row: \(reason.text)")
            }
        }
        for (id, issue, said) in Self.warnings(s) {
            let words = Self.words(said)
            for (a, b) in zip(words, words.dropFirst()) where a == b && a.contains(where: \.isLetter) {
                Issue.record("\(name) \(id): '\(a)' twice in a row: \(issue.message(in: s.bundle.schema))")
            }
        }
    }

    /// Every page warning of the golden rows with what it says in its own words: its phrase and
    /// the sentence after the subject, without the column's name (in parentheses by design, and
    /// "Monthly income (Income)" is not a word said twice) or the list of known codes (the
    /// file's own labels, which an analyst must write as they are).
    static func warnings(_ s: Said) -> [(id: String, issue: FieldIssue, said: String)] {
        s.issues.indices.flatMap { row in
            s.issues[row].map { issue -> (String, FieldIssue, String) in
                let message = issue.message(in: s.bundle.schema)
                let spec = s.bundle.schema.features.first { $0.name == issue.column }
                let phrase = spec?.phrase ?? issue.column
                let subject = subject(phrase: phrase, column: issue.column)
                var rest = message.hasPrefix(subject) ? String(message.dropFirst(subject.count)) : message
                if let start = rest.range(of: "(known: "), let end = rest.range(of: ");", options: .backwards), start.upperBound <= end.lowerBound {
                    rest.replaceSubrange(start.lowerBound..<end.upperBound, with: ";")
                }
                return (s.ids[row], issue, phrase + rest)
            }
        }
    }

    /// How a page warning names its input: "Interest rate (int_rate)", or "Age" when the
    /// phrase is the column's own name.
    static func subject(phrase: String, column: String) -> String {
        phrase.lowercased() == column.lowercased() ? phrase : "\(phrase) (\(column))"
    }

    /// A value in the bundle's words never restates its input's phrase: the phrase names what
    /// it is, the value says which ("Income verified: no", not "Income verification verified").
    @Test(arguments: BundledModelTests.names)
    func aValueDoesNotRepeatItsInputsPhrase(_ name: String) throws {
        let s = try Self.said(name)
        var checked = 0
        for (row, reason) in Self.sentences(s) where reason.kind == .value {
            guard let value = reason.value else { continue }
            let phrase = Self.words(reason.phrase)
            for word in Self.words(value) where phrase.contains(where: { Self.repeats($0, word) }) {
                Issue.record("\(name) \(s.ids[row]): the value '\(value)' repeats '\(word)' of '\(reason.phrase)': \(reason.text)")
            }
            checked += 1
        }
        #expect(checked > 0)
    }

    /// A percentage is what the bundle says the value is: a raw column in `%` is shown as
    /// stored, a derived share (unit `share`) as a hundred times its fraction; and, on rows
    /// whose inputs are all within the training range, a share stays below 1,000 % (beyond that
    /// it is a multiple, and should be declared as one).
    @Test(arguments: BundledModelTests.names)
    func percentagesAreTheDeclaredUnit(_ name: String) throws {
        let s = try Self.said(name)
        let manifest = try #require(s.bundle.manifest)
        let raw = Dictionary(uniqueKeysWithValues: manifest.features.map { ($0.name, $0) })
        let derived = Dictionary(uniqueKeysWithValues: manifest.derivedFeatures.map { ($0.name, $0) })
        let names = s.bundle.model.featureNames
        var seen = 0
        for (row, reason) in Self.sentences(s) where reason.kind == .value {
            guard let value = reason.value, value.hasSuffix(" %") else { continue }
            let shown = try #require(Double(value.dropLast(2).replacingOccurrences(of: ",", with: "")), "\(value)")
            let stored = s.matrix[row, try #require(names.firstIndex(of: reason.feature))]
            if let spec = raw[reason.feature] {
                #expect(spec.unit == "%", "\(name) \(reason.feature) is shown in % but declared in \(spec.unit ?? "nothing"): \(reason.text)")
                #expect(abs(shown - stored) <= 0.005 + abs(stored) * 1e-9, "\(name) \(s.ids[row]): \(value) for a stored \(stored)")
            } else {
                let feature = try #require(derived[reason.feature], "\(reason.feature) is neither raw nor derived")
                #expect(feature.unit == "share", "\(name) \(reason.feature) is shown in % but declared \(feature.unit ?? "nothing"): \(reason.text)")
                #expect(abs(shown - stored * 100) <= 0.05 + abs(stored) * 1e-7, "\(name) \(s.ids[row]): \(value) for a share of \(stored)")
                if !s.issues[row].contains(where: { $0.kind == .outOfRange }) {
                    #expect(abs(shown) < 1000, "\(name) \(s.ids[row]): \(reason.text)")
                }
            }
            seen += 1
        }
        let declaresPercentages = manifest.features.contains { $0.unit == "%" } || manifest.derivedFeatures.contains { $0.unit == "share" }
        #expect(seen > 0 || !declaresPercentages, "\(name) shows some percentage")
    }

    /// No sentence or page warning names an input by a code-like identifier (`open_il_6m`,
    /// `emp_unk`) where the bundle has words; a warning names its column once, in parentheses
    /// after its phrase, so an analyst can find it in the file, and says the value given.
    @Test(arguments: BundledModelTests.names)
    func noRawIdentifiersWhereTheBundleHasWords(_ name: String) throws {
        let s = try Self.said(name)
        for (row, reason) in Self.sentences(s) {
            for word in Self.words(reason.text) where Self.isIdentifier(word) {
                Issue.record("\(name) \(s.ids[row]): '\(word)' in: \(reason.text)")
            }
        }
        let specs = Dictionary(uniqueKeysWithValues: s.bundle.schema.features.map { ($0.name, $0) })
        let warnings = Self.warnings(s)
        for (id, issue, said) in warnings {
            let message = issue.message(in: s.bundle.schema)
            let phrase = try #require(specs[issue.column]?.phrase)
            #expect(message.hasPrefix(Self.subject(phrase: phrase, column: issue.column)), "\(name) \(id): \(message)")
            let rest = said.dropFirst(phrase.count)
            #expect(!Self.identifiers(in: String(rest)).contains(issue.column), "\(name) \(id): the column once: \(message)")
            for word in Self.words(said) where Self.isIdentifier(word) {
                Issue.record("\(name) \(id): '\(word)' in: \(message)")
            }
            // The value as given: a label as it was written, a number at least in its digits.
            let given = issue.value.trimmingCharacters(in: .whitespaces)
            let digits = given.filter(\.isNumber).trimmingSuffix("0")
            #expect(message.contains(given) || message.filter(\.isNumber).contains(digits), "\(name) \(id): \(message)")
        }
        #expect(!warnings.isEmpty, "\(name)'s edge rows raise warnings")
    }

    /// The identifier-like tokens of `text` (letters, digits, underscores), as written.
    static func identifiers(in text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
    }

    /// snake_case with a letter on each side of an underscore: a column or code, not a word.
    static func isIdentifier(_ word: String) -> Bool {
        word.contains("_") && word.split(separator: "_").count >= 2 && word.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Numbers are written one way: thousands grouped with commas, no trailing zeros after the
    /// point, no exponent, the same in sentences and in page warnings.
    @Test(arguments: BundledModelTests.names)
    func numbersAreWrittenOneWay(_ name: String) throws {
        let s = try Self.said(name)
        let texts = Self.sentences(s).map { (s.ids[$0.row], $0.reason.text) } + Self.warnings(s).map { ($0.id, $0.said) }
        for (id, text) in texts {
            for number in Self.numbers(in: text) where !Self.isWrittenOneWay(number) {
                Issue.record("\(name) \(id): '\(number)' in: \(text)")
            }
        }
    }

    /// The runs of digits, commas and points that make up a number in `text`.
    static func numbers(in text: String) -> [String] {
        var found: [String] = []
        var current = ""
        for c in text + " " {
            if c.isNumber || ((c == "," || c == ".") && current.last?.isNumber == true) {
                current.append(c)
            } else {
                while let last = current.last, last == "," || last == "." { current.removeLast() }
                if !current.isEmpty { found.append(current) }
                current = ""
            }
        }
        return found
    }

    static func isWrittenOneWay(_ number: String) -> Bool {
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first else { return false }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard let head = groups.first, !head.isEmpty, head.count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return false }
        if parts.count == 2 { return !parts[1].isEmpty && !parts[1].contains(",") && parts[1].last != "0" }
        return true
    }
}

extension String {
    fileprivate func trimmingSuffix(_ character: Character) -> String {
        var text = self
        while text.count > 1, text.last == character { text.removeLast() }
        return text
    }
}
