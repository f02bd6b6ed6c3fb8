import Foundation
import Testing

@testable import Scoring

/// Reason codes on the bundled lending-club model and its sample: what they pick, what they
/// say, and that what they say is true of the bundle's training distribution.
@Suite struct ReasonTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data")

    /// A bundle, its sample's records encoded, their contributions and raw scores.
    struct Scored {
        let bundle: ModelBundle
        let scorer: BatchScorer
        let writer: ReasonWriter
        let header: [String]
        let records: [CSVRecord]
        let matrix: FeatureMatrix
        let issues: [[FieldIssue]]
        let phi: [Double]
        let raw: [Double]

        var width: Int { bundle.model.featureCount + 1 }
        func contributions(_ row: Int) -> ArraySlice<Double> { phi[row * width..<(row + 1) * width - 1] }
        func expectedValue(_ row: Int) -> Double { phi[(row + 1) * width - 1] }
    }

    static func scored(_ name: String = "lending-club") throws -> Scored {
        let bundle = try ModelBundle(directory: data.appendingPathComponent("models/\(name)"))
        let (header, records) = try Fixtures.readRecords(data.appendingPathComponent("samples/\(name)-sample.csv"))
        let scorer = BatchScorer(bundle: bundle)
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        let (matrix, issues) = scorer.encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        let phi = try bundle.model.contributions(matrix, threads: 2)
        return Scored(
            bundle: bundle, scorer: scorer, writer: bundle.reasonWriter, header: header, records: records,
            matrix: matrix, issues: issues, phi: phi, raw: bundle.model.rawScores(matrix, threads: 1))
    }

    /// The sample's first row as cells keyed by column, for rows made up from it.
    static func applicant(_ s: Scored, row: Int = 0) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(s.header, s.records[row].fields))
    }

    /// Reasons for made-up `applicant` with a contribution of 1 on `feature` only, so its
    /// wording is tested whatever the model makes of the value.
    static func forcedReason(_ s: Scored, _ applicant: [String: String], feature: String) throws -> Reason {
        let names = s.schema.requiredColumns
        let (matrix, issues) = s.scorer.encode(rowCount: 1) { _, column, body in
            var text = applicant[names[column]] ?? ""
            text.withUTF8(body)
        }
        let index = try #require(s.bundle.model.featureNames.firstIndex(of: feature))
        var contributions = [Double](repeating: 0, count: s.bundle.model.featureCount)
        contributions[index] = 1
        let reasons = s.writer.reasons(contributions: contributions, features: matrix.row(0), issues: issues[0], limit: 4)
        #expect(reasons.count == 1)
        return try #require(reasons.first)
    }

    /// The features that may be reasons for `row`, largest contribution first: at least the
    /// floor, and not a constrained feature whose value is on its safer side (its sentence,
    /// as `describe` words it, would call it high when higher is safer, or low when lower is).
    static func eligible(_ s: Scored, row: Int) -> [Int] {
        let phi = Array(s.contributions(row))
        let constraints = s.bundle.manifest?.monotoneConstraints ?? [:]
        let described = s.writer.describe(contributions: phi, features: s.matrix.row(row), issues: s.issues[row])
        return phi.indices.filter { index in
            guard phi[index] >= s.writer.floor else { return false }
            let text = described[index].text
            switch constraints[described[index].feature] {
            case -1: return !text.contains(" is high: ")
            case 1: return !text.contains(" is low: ")
            default: return true
            }
        }.sorted { phi[$0] > phi[$1] }
    }

    @Test func reasonsAreTheLargestContributionsAboveTheFloorLargestFirst() throws {
        let s = try Self.scored()
        let names = s.bundle.model.featureNames
        var skipped = 0
        for row in 0..<s.records.count {
            let phi = Array(s.contributions(row))
            let positive = Self.eligible(s, row: row)
            skipped += phi.filter { $0 > 0 }.count - positive.count
            for limit in [1, 3, ExplainOptions.defaultReasonCount, ExplainOptions.maximumReasonCount] {
                let reasons = s.writer.reasons(contributions: phi, features: s.matrix.row(row), issues: s.issues[row], limit: limit)
                #expect(reasons.count == min(limit, positive.count), "row \(row + 1)")
                #expect(reasons.map(\.feature) == positive.prefix(limit).map { names[$0] }, "row \(row + 1)")
                for reason in reasons {
                    let index = try #require(names.firstIndex(of: reason.feature))
                    #expect(reason.contribution == phi[index])
                    #expect(reason.contribution >= s.writer.floor)
                    #expect(!reason.text.isEmpty && !reason.phrase.isEmpty)
                }
                #expect(zip(reasons, reasons.dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
                #expect(Set(reasons.map(\.text)).count == reasons.count)
            }
        }
        #expect(s.writer.reasons(contributions: s.contributions(0), features: s.matrix.row(0), issues: [], limit: 0).isEmpty)
        #expect(skipped > 0, "the floor or a constraint passes over some positive contribution")
    }

    @Test func percentileWordingIsTrueOfTheTrainingBins() throws {
        let s = try Self.scored()
        let reference = try #require(s.bundle.manifest?.reference?.features)
        let names = s.bundle.model.featureNames
        let constraints = s.bundle.manifest?.monotoneConstraints ?? [:]
        var seen: [String: Int] = ["high": 0, "low": 0, "plain": 0, "directed": 0]
        for row in 0..<s.records.count {
            let values = Array(s.matrix.row(row))
            let reasons = s.writer.reasons(
                contributions: s.contributions(row), features: values, issues: s.issues[row], limit: names.count)
            for reason in reasons where reason.kind == .value {
                guard let bins = reference[reason.feature], let edges = bins.edges, let proportions = bins.proportions else { continue }
                let x = values[try #require(names.firstIndex(of: reason.feature))]
                // The bin holding x (bin i: edges[i] <= x < edges[i+1], the last also its upper edge);
                // every value in a lower bin is below x, every value in a higher bin above it.
                let bin = min(proportions.count - 1, edges.lastIndex { $0 <= x } ?? 0)
                let below = x > edges[edges.count - 1] ? proportions.reduce(0, +) : proportions[..<bin].reduce(0, +)
                let above = x < edges[0] ? proportions.reduce(0, +) : proportions[(bin + 1)...].reduce(0, +)
                let shown = try #require(reason.value)
                let start = "\(reason.phrase) of \(shown)"
                if below >= 0.7 {
                    let percent = Int((below * 100 + 1e-9).rounded(.down))
                    #expect(reason.text == "\(start) is high: higher than \(percent) % of past borrowers", "row \(row + 1)")
                    #expect(Double(percent) / 100 <= below)
                    seen["high", default: 0] += 1
                } else if above >= 0.7 {
                    let percent = Int((above * 100 + 1e-9).rounded(.down))
                    #expect(reason.text == "\(start) is low: lower than \(percent) % of past borrowers", "row \(row + 1)")
                    seen["low", default: 0] += 1
                } else if let direction = constraints[reason.feature] {
                    let way = direction > 0 ? "higher" : "lower"
                    #expect(reason.text == "\(start) counted against the application: the higher it is, the \(way) the risk", "row \(row + 1)")
                    seen["directed", default: 0] += 1
                } else {
                    #expect(reason.text == "\(start) raised the estimated risk", "row \(row + 1)")
                    seen["plain", default: 0] += 1
                }
            }
        }
        #expect(seen.values.allSatisfy { $0 > 0 }, "the sample exercises every wording: \(seen)")
    }

    @Test func valuesAreWrittenWithTheirUnits() throws {
        #expect(ReasonValueFormat.number(17000, unit: "USD") == "$17,000")
        #expect(ReasonValueFormat.number(1_234_567.5, unit: "USD") == "$1,234,567.5")
        #expect(ReasonValueFormat.number(24.5, unit: "%") == "24.5 %")
        #expect(ReasonValueFormat.number(13.99, unit: "%") == "13.99 %")
        #expect(ReasonValueFormat.number(36, unit: "months") == "36 months")
        #expect(ReasonValueFormat.number(1, unit: "years") == "1 year")
        #expect(ReasonValueFormat.number(5000, unit: "DM") == "5,000 DM")
        #expect(ReasonValueFormat.number(3, unit: nil) == "3")
        #expect(ReasonValueFormat.number(-250, unit: "USD") == "-$250")
        #expect(ReasonValueFormat.decimal(0.0042) == "0.0042")
        #expect(ReasonValueFormat.percent(0.3478) == "34.8 %")

        let s = try Self.scored()
        var applicant = Self.applicant(s)
        applicant["annual_inc"] = "18000"
        applicant["funded_amnt"] = "6300"
        let income = try Self.forcedReason(s, applicant, feature: "annual_inc")
        #expect(income.value == "$18,000")
        #expect(income.text.hasPrefix("Annual income of $18,000 is low: lower than "))
        let ratio = try Self.forcedReason(s, applicant, feature: "loan_to_income")
        #expect(ratio.value == "35 %")
        #expect(ratio.text == "Loan amount relative to income of 35 % counted against the application: the higher it is, the higher the risk")
        applicant["sub_grade"] = "E4"
        let grade = try Self.forcedReason(s, applicant, feature: "sub_grade_rank")
        #expect(grade.value == "E4" && grade.columns == ["sub_grade"])
        #expect(grade.text == "Loan sub-grade: E4, which is associated with a higher risk of default")
    }

    /// A derived feature is shown in the unit bundle.json declares for it: credit-data's loan
    /// amount over a monthly income is a multiple ("14.29 times"), not 1,428.6 %; its instalment
    /// over income a share, shown as a percentage of the fraction.
    @Test func derivedValuesAreShownInTheirDeclaredUnits() throws {
        let s = try Self.scored("credit-data")
        var applicant = Self.applicant(s)
        applicant["Amount"] = "1000"
        applicant["Income"] = "70"
        applicant["Time"] = "40"
        let multiple = try Self.forcedReason(s, applicant, feature: "amount_to_income")
        #expect(multiple.value == "14.29 times")
        #expect(multiple.text == "Loan amount relative to monthly income of 14.29 times counted against the application: the higher it is, the higher the risk")
        let share = try Self.forcedReason(s, applicant, feature: "instalment_to_income")
        #expect(share.value == "35.7 %")
        applicant["Income"] = "1000"
        #expect(try Self.forcedReason(s, applicant, feature: "amount_to_income").value == "1 times")
    }

    /// Without a declared unit, a ratio is a share only when both its columns have the same
    /// named unit: two columns without one may be an amount over a monthly amount.
    @Test func undeclaredRatioUnitsAreInferredFromNamedUnitsOnly() {
        let raw = [
            "loan": FeatureSpec(name: "loan", kind: .numeric, unit: "USD"), "income": FeatureSpec(name: "income", kind: .numeric, unit: "USD"),
            "amount": FeatureSpec(name: "amount", kind: .numeric), "monthly": FeatureSpec(name: "monthly", kind: .numeric),
        ]
        let derived = [
            DerivedFeature(name: "dollars", operation: .ratio(numerator: "loan", denominator: "income")),
            DerivedFeature(name: "unnamed", operation: .ratio(numerator: "amount", denominator: "monthly")),
            DerivedFeature(name: "declared", operation: .ratio(numerator: "amount", denominator: "monthly"), unit: "times"),
            DerivedFeature(name: "share", operation: .ratio(numerator: "amount", denominator: "monthly"), unit: DerivedFeature.shareUnit),
            DerivedFeature(name: "gap", operation: .difference(left: "loan", right: "income")),
        ]
        let units = ReasonDerivedUnits(raw: raw, derived: derived)
        #expect(units.unit(of: "dollars") == .share)
        #expect(units.unit(of: "unnamed") == nil)
        #expect(units.unit(of: "declared") == .named("times"))
        #expect(units.unit(of: "share") == .share)
        #expect(units.unit(of: "gap") == .named("USD"))
    }

    @Test func missingAndUnseenValuesHaveTheirOwnWords() throws {
        let s = try Self.scored()
        var applicant = Self.applicant(s)
        applicant["annual_inc"] = ""
        applicant["verification_status"] = "Pending"
        applicant["sub_grade"] = "Z9"
        applicant["emp_length"] = "emp_unk"
        applicant["term"] = "NA"

        let income = try Self.forcedReason(s, applicant, feature: "annual_inc")
        #expect(income.kind == .missing && income.value == nil)
        #expect(income.text == "Annual income was not provided, which raised the estimated risk")
        let ratio = try Self.forcedReason(s, applicant, feature: "loan_to_income")
        #expect(ratio.kind == .missing)
        #expect(ratio.text == "Loan amount relative to income could not be calculated (annual income was not provided), which raised the estimated risk")

        let verification = try Self.forcedReason(s, applicant, feature: "verification_status")
        #expect(verification.kind == .unseenCategory && verification.value == "Pending")
        #expect(verification.text == "Income verification: 'Pending' is not a category the model was trained on; treated as not provided, it raised the estimated risk")
        let grade = try Self.forcedReason(s, applicant, feature: "sub_grade_rank")
        #expect(grade.kind == .unseenCategory && grade.value == "Z9")
        #expect(grade.text.hasPrefix("Loan sub-grade: 'Z9' is not a category the model was trained on"))

        let term = try Self.forcedReason(s, applicant, feature: "term_months")
        #expect(term.kind == .missing)
        #expect(term.text == "Loan term was not provided, which raised the estimated risk")
        // emp_unk (in the bundle's words "unknown") is a given label that the model's map leaves
        // out: honest about both readings.
        let employment = try Self.forcedReason(s, applicant, feature: "emp_years")
        #expect(employment.kind == .missing)
        #expect(employment.text == "Employment length was not provided (or was unknown), which raised the estimated risk")

        applicant["annual_inc"] = "0"
        let zero = try Self.forcedReason(s, applicant, feature: "loan_to_income")
        #expect(zero.text == "Loan amount relative to income could not be calculated (annual income is 0), which raised the estimated risk")
    }

    @Test func missingValuesGetTheirWordsThroughTheScorer() throws {
        let s = try Self.scored()
        var applicants: [[String: String]] = []
        for row in 0..<s.records.count {
            var applicant = Self.applicant(s, row: row)
            applicant["emp_length"] = row.isMultiple(of: 2) ? "" : "emp_11"
            applicants.append(applicant)
        }
        let outcomes = s.scorer.score(applicants: applicants, explain: ExplainOptions(reasons: ExplainOptions.maximumReasonCount))
        var kinds: [Reason.Kind: Int] = [:]
        for (row, outcome) in outcomes.enumerated() {
            let reasons = try #require(outcome.explanation?.reasons, "row \(row + 1)")
            guard let employment = reasons.first(where: { $0.feature == "emp_years" }) else { continue }
            if row.isMultiple(of: 2) {
                #expect(employment.kind == .missing && employment.value == nil)
                #expect(employment.text == "Employment length was not provided (or was unknown), which raised the estimated risk")
            } else {
                #expect(employment.kind == .unseenCategory && employment.value == "emp_11")
                #expect(employment.text.hasPrefix("Employment length: 'emp_11' is not a category the model was trained on"))
            }
            kinds[employment.kind, default: 0] += 1
        }
        #expect(kinds[.missing, default: 0] > 0 && kinds[.unseenCategory, default: 0] > 0, "\(kinds)")
    }

    @Test func contributionsAddUpToTheRawScoreOnEverySampleRow() throws {
        let s = try Self.scored()
        let explanations = s.scorer.explain(s.matrix, issues: s.issues, options: ExplainOptions(reasons: 4, contributions: true), threads: 2)
        #expect(explanations.count == s.records.count)
        for row in 0..<s.records.count {
            let explanation = try #require(explanations[row], "row \(row + 1)")
            #expect(Array(s.contributions(row)) == explanation.contributions)
            #expect(explanation.expectedValue == s.expectedValue(row))
            let sum = explanation.contributions.reduce(0, +) + explanation.expectedValue
            #expect(abs(sum - s.raw[row]) <= 1e-9, "row \(row + 1): \(sum) vs raw \(s.raw[row])")
            let mine = s.writer.reasons(contributions: explanation.contributions, features: s.matrix.row(row), issues: s.issues[row], limit: 4)
            #expect(explanation.reasons == mine)
        }
    }

    /// Coded labels (`emp_lt_1`, `term_60`) reach applicants in the bundle's words, both for
    /// raw categorical features and through `map` features; labels without words stay as they are.
    @Test(arguments: ["lending-club", "german-credit", "credit-data"])
    func codedLabelsAreShownInTheBundlesWords(_ name: String) throws {
        let s = try Self.scored(name)
        let worded = s.bundle.schema.features.filter { $0.labels != nil }
        #expect(!worded.isEmpty, "\(name) has labels in bundle.json")
        var shownInWords = 0
        for row in 0..<s.records.count {
            let described = s.writer.describe(contributions: s.contributions(row), features: s.matrix.row(row), issues: s.issues[row])
            for reason in described where reason.kind == .value {
                for spec in worded where reason.columns.contains(spec.name) {
                    let coded = try #require(spec.labels).filter { $0.key != $0.value }.keys
                    #expect(!coded.contains(reason.value ?? ""), "\(name) row \(row + 1): \(reason.text)")
                    if try #require(spec.labels).values.contains(reason.value ?? "") { shownInWords += 1 }
                }
            }
        }
        #expect(shownInWords > 0)
    }

    @Test func aSentenceIsNeverGivenTwice() throws {
        // german-credit reads savings twice (the label and its rank) under one phrase.
        let s = try Self.scored("german-credit")
        var merged = 0
        for row in 0..<s.records.count {
            let phi = s.contributions(row)
            let reasons = s.writer.reasons(contributions: phi, features: s.matrix.row(row), issues: s.issues[row], limit: phi.count)
            #expect(Set(reasons.map(\.text)).count == reasons.count, "row \(row + 1)")
            if reasons.count < Self.eligible(s, row: row).count { merged += 1 }
        }
        #expect(merged > 0, "some row has two features with one sentence")
    }

    @Test func bareModelsAreNamedByTheirFeatures() throws {
        let s = try Self.scored()
        let model = try LightGBMModel(contentsOf: Self.data.appendingPathComponent("models/lending-club/model.txt"))
        let bare = ModelBundle(bareModel: model, name: "bare")
        let writer = bare.reasonWriter
        for row in 0..<10 {
            let reasons = writer.reasons(contributions: s.contributions(row), features: s.matrix.row(row), issues: [], limit: 4)
            #expect(reasons.isEmpty == !s.contributions(row).contains { $0 >= writer.floor })
            for reason in reasons {
                #expect(reason.phrase == reason.feature)
                #expect(reason.text.hasPrefix(reason.feature + " ") || reason.text.hasPrefix(reason.feature + ": "))
                #expect(!reason.text.contains("past borrowers"))
            }
        }
        let header = bare.schema.requiredColumns
        let applicant = Dictionary(uniqueKeysWithValues: header.map { ($0, "") })
        let outcomes = BatchScorer(bundle: bare).modelOnly().score(applicants: [applicant], explain: ExplainOptions(reasons: 3))
        for reason in try #require(outcomes.first?.explanation?.reasons) {
            #expect(reason.kind == .missing)
            #expect(reason.text == "\(reason.feature) was not provided, which raised the estimated risk")
        }
    }

    @Test func resultsCSVCarriesReasonColumns() throws {
        let s = try Self.scored()
        let mapping = try ColumnMapping(header: s.header, schema: s.bundle.schema)
        let three = ExplainOptions(reasons: 3)
        let outcomes = s.scorer.score(records: s.records[0..<5], mapping: mapping, explain: three)
        #expect(ResultsCSV.header(inputHeader: ["a"], explain: three) == ["a"] + ResultsCSV.resultColumns + ["reason_1", "reason_2", "reason_3"])
        #expect(ResultsCSV.header(inputHeader: ["a"], explain: ExplainOptions(contributions: true), featureNames: ["x"])
                == ["a"] + ResultsCSV.resultColumns + ["contribution_x", "contribution_expected_value"])
        var bytes: [UInt8] = []
        CSVEncoder.appendRecord(ResultsCSV.header(inputHeader: s.header, explain: three), to: &bytes)
        for (record, outcome) in zip(s.records, outcomes) {
            ResultsCSV.appendRow(record: record, outcome: outcome, modelVersion: "v1", explain: three, to: &bytes)
        }
        let invalid = RowOutcome(probability: nil, decision: nil, score: nil, issues: [])
        ResultsCSV.appendRow(record: s.records[0], outcome: invalid, modelVersion: "v1", explain: three, to: &bytes)
        let table = try readCSV(bytes)
        #expect(table.header.suffix(3) == ["reason_1", "reason_2", "reason_3"])
        for (cells, outcome) in zip(table.rows, outcomes) {
            #expect(cells.count == table.header.count)
            let texts = try #require(outcome.explanation?.reasons).map(\.text)
            #expect(Array(cells.suffix(3)) == (texts + ["", "", ""]).prefix(3).map { $0 })
        }
        #expect(table.rows.last?.suffix(3).allSatisfy(\.isEmpty) == true)

        var stored: [UInt8] = []
        ResultsCSV.appendResult(probability: 0.5, decision: "decline", score: 480, status: "ok", modelVersion: "1.0.0", reasons: ["One, two", "=x"], reasonCount: 3, to: &stored)
        #expect(String(decoding: stored, as: UTF8.self) == ",0.5,decline,480,ok,1.0.0,\"One, two\",'=x,\r\n")
    }

    private func readCSV(_ bytes: [UInt8]) throws -> (header: [String], rows: [[String]]) {
        let reader = CSVReader(data: Data(bytes))
        let header = try reader.readHeader()
        var record = CSVRecord()
        var rows: [[String]] = []
        while try reader.read(into: &record) { rows.append(record.fields) }
        return (header, rows)
    }
}

extension ReasonTests.Scored {
    var schema: FeatureSchema { bundle.schema }
}
