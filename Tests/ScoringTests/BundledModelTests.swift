import Foundation
import Scoring
import Testing

/// The bundles the app ships (Data/models), against the probabilities the training pipeline
/// wrote with LightGBM's own predict, starting from raw CSV rows: this proves the Swift
/// derived-feature executor and the Python one agree.
@Suite struct BundledModelTests {
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data/models")
    static let names = ["lending-club", "german-credit", "credit-data"]

    @Test(arguments: names)
    func loadsAndMatchesLightGBMOnRawRows(_ name: String) throws {
        let directory = Self.models.appendingPathComponent(name)
        let bundle = try ModelBundle(directory: directory)
        #expect(bundle.name == name)
        #expect(bundle.manifest != nil)
        let golden = directory.appendingPathComponent("golden.csv")
        let (header, records) = try Fixtures.readRecords(golden)
        let probabilityColumn = try #require(header.firstIndex(of: "probability"))
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        let outcomes = BatchScorer(bundle: bundle).modelOnly().score(records: records[...], mapping: mapping)
        #expect(outcomes.count == records.count)
        #expect(records.count >= 100)
        var exact = 0
        for (row, (record, outcome)) in zip(records, outcomes).enumerated() {
            let expected = try #require(Double(record[probabilityColumn]), "row \(row + 1)")
            let mine = try #require(outcome.probability, "row \(row + 1): \(outcome.status)")
            #expect(abs(mine - expected) <= 1e-12, "\(name) row \(row + 1): \(mine) vs LightGBM \(expected)")
            if mine.bitPattern == expected.bitPattern { exact += 1 }
        }
        #expect(exact == records.count, "\(exact) of \(records.count) rows bit-identical")
    }

    /// Contributions from raw rows (derived features computed here) against LightGBM's
    /// `pred_contrib` on the frame the training pipeline builds
    /// (training/golden/make_bundle_contrib.py), and additivity on every row.
    /// A shipped bundle with its golden rows read and encoded from their raw cells.
    struct Golden {
        let bundle: ModelBundle
        let header: [String]
        let records: [CSVRecord]
        let matrix: FeatureMatrix
        let issues: [[FieldIssue]]
    }

    static func golden(_ name: String) throws -> Golden {
        let directory = models.appendingPathComponent(name)
        let bundle = try ModelBundle(directory: directory)
        let (header, records) = try Fixtures.readRecords(directory.appendingPathComponent("golden.csv"))
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        let (matrix, issues) = BatchScorer(bundle: bundle).modelOnly().encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
        return Golden(bundle: bundle, header: header, records: records, matrix: matrix, issues: issues)
    }

    @Test(arguments: names)
    func contributionsMatchLightGBMOnRawRows(_ name: String) throws {
        let golden = try Self.golden(name)
        let (bundle, records, matrix) = (golden.bundle, golden.records, golden.matrix)
        let mine = try bundle.model.contributions(matrix, threads: 2)
        let raw = bundle.model.rawScores(matrix, threads: 1)
        let expected = try Fixtures.readCSV(
            Fixtures.root.appendingPathComponent("bundle-contrib").appendingPathComponent("\(name).csv"))
        let width = bundle.model.featureCount + 1
        #expect(expected.header == ["row"] + bundle.model.featureNames + ["expected_value"])
        #expect(expected.rows.count == records.count)
        var worst = 0.0
        for (row, values) in expected.rows.enumerated() {
            for column in 0..<width {
                let theirs = try #require(Double(values[column + 1]))
                worst = max(worst, abs(mine[row * width + column] - theirs))
            }
            let sum = mine[row * width..<(row + 1) * width].reduce(0, +)
            #expect(abs(sum - raw[row]) <= 1e-9, "\(name) row \(row + 1): \(sum) vs raw \(raw[row])")
        }
        #expect(worst <= 1e-9, "\(name): largest difference from pred_contrib \(worst)")
    }

    @Test(arguments: names)
    func aChangedModelFileIsRefused(_ name: String) throws {
        let source = Self.models.appendingPathComponent(name)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        let model = copy.appendingPathComponent("model.txt")
        var text = try String(contentsOf: model, encoding: .utf8)
        text = text.replacingOccurrences(of: "shrinkage=", with: "shrinkage=0")
        try text.write(to: model, atomically: true, encoding: .utf8)
        #expect {
            try ModelBundle(directory: copy)
        } throws: { error in
            (error as? BundleLoadError)?.message.contains("sha256") == true
        }
    }

    @Test func templatesAndSamplesMatchTheSchema() throws {
        let samples = Self.models.deletingLastPathComponent().appendingPathComponent("samples")
        for name in Self.names {
            let bundle = try ModelBundle(directory: Self.models.appendingPathComponent(name))
            for kind in ["template", "sample"] {
                let (header, records) = try Fixtures.readRecords(samples.appendingPathComponent("\(name)-\(kind).csv"))
                let mapping = try ColumnMapping(header: header, schema: bundle.schema)
                let outcomes = BatchScorer(bundle: bundle).score(records: records[...], mapping: mapping)
                #expect(!outcomes.isEmpty)
                #expect(outcomes.allSatisfy { $0.isValid }, "\(name)-\(kind): \(outcomes.first { !$0.isValid }?.status ?? "")")
                #expect(!header.contains("probability"), "samples carry no answers")
            }
        }
    }
}

/// The applicants' drift samples made while they are encoded (`scoreSampling`, what the API,
/// OIP and form hand the traffic monitor) against reading the cells again (`driftSamples`),
/// on each bundle's golden rows as text cells, with invalid, missing, unseen and out-of-range
/// values mixed in; and the outcomes are `score(applicants:)`'s.
@Suite struct ApplicantDriftSampleTests {
    @Test(arguments: BundledModelTests.names)
    func samplesTakenWhileEncodingEqualSamplesReadAgain(_ name: String) throws {
        let bundle = try ModelBundle(directory: BundledModelTests.models.appendingPathComponent(name))
        try #require(bundle.drift != nil, "\(name) ships a drift reference")
        let (header, rows) = try Fixtures.readCSV(BundledModelTests.models.appendingPathComponent(name).appendingPathComponent("golden.csv"))
        let columns = bundle.schema.requiredColumns
        var applicants: [[String: String]] = rows.prefix(60).map { row in
            Dictionary(uniqueKeysWithValues: zip(header, row).filter { columns.contains($0.0) })
        }
        for (index, column) in columns.enumerated() {
            let row = index % applicants.count
            switch index % 4 {
            case 0: applicants[row][column] = nil
            case 1: applicants[row][column] = "never seen in training"
            case 2: applicants[row][column] = "-99999999"
            default: applicants[row][column] = "99999999"
            }
        }
        let scorer = BatchScorer(bundle: bundle)
        for threads in [1, 3] {
            let (outcomes, samples) = scorer.scoreSampling(applicants: applicants, explain: ExplainOptions(reasons: 2, contributions: false), threads: threads)
            let expectedOutcomes = scorer.score(applicants: applicants, explain: ExplainOptions(reasons: 2, contributions: false), threads: threads)
            #expect(outcomes.map(\.probability) == expectedOutcomes.map(\.probability))
            #expect(outcomes.map(\.issues) == expectedOutcomes.map(\.issues))
            let readAgain = scorer.driftSamples(rowCount: applicants.count, outcomes: outcomes) { row, feature, body in
                var text = applicants[row][columns[feature]] ?? ""
                text.withUTF8(body)
            }
            #expect(samples.count == outcomes.filter { $0.probability != nil }.count)
            #expect(samples.count > 30)
            #expect(samples == readAgain)
        }
    }
}
