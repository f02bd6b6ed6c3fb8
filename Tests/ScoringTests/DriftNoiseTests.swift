import Foundation
import Scoring
import Testing

/// Drift judged against sampling noise for the file's size: clean random subsamples of the
/// bundles' own training data (20 to 5,000 rows) raise a banner less than 1 % of the time,
/// and files whose units changed still raise it at every size.
@Suite struct DriftNoiseTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// SplitMix64: the same subsamples on every run and platform.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func noiseLevelsFallToTheFixedBandsAsFilesGrow() {
        let deciles = [Double](repeating: 0.1, count: 10) + [0]
        var previous = Double.infinity
        for rows in [20, 50, 100, 300, 1000, 5000, 50_000] {
            let bands = DriftNoise.bands(expected: deciles, rows: rows, floor: .standard)
            #expect(bands.major >= 0.25 && bands.moderate >= 0.1 && bands.moderate <= bands.major)
            #expect(bands.major <= previous, "\(rows) rows")
            previous = bands.major
        }
        // 20 rows over ten deciles leave about 2.4 bins empty, each 0.69 of PSI: noise alone
        // gives ~1.1 on average and 3.9 at its 99.99th percentile (100,000 draws).
        let small = DriftNoise.bands(expected: deciles, rows: 20, floor: .standard)
        #expect(small.major > 3.9 && small.major < 5)
        #expect(DriftNoise.bands(expected: deciles, rows: 5000, floor: .standard) == .standard)
        // A bundle's own bands stay the floor.
        let strict = DriftBands(moderate: 0.05, major: 0.1)
        #expect(DriftNoise.bands(expected: deciles, rows: 50_000, floor: strict) == strict)
    }

    /// A bundle's training data as its pipeline read it (labels recoded as its provenance
    /// records), optionally with one column changed, and each scored row's drift sample.
    static func samples(_ name: String, changing column: String? = nil, by change: (Double) -> Double = { $0 }) throws -> (ModelBundle, [DriftSample]) {
        let folder = root.appendingPathComponent("Data/models/\(name)")
        let bundle = try ModelBundle(directory: folder)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("bundle.json"))) as? [String: Any])
        let provenance = try #require(manifest["provenance"] as? [String: Any])
        let dataset = try #require(provenance["dataset_file"] as? String)
        let recoded = ((provenance["cleaning"] as? [String: Any])?["recoded_labels"] as? [String: [String: Any]] ?? [:])
            .mapValues { $0["map"] as? [String: String] ?? [:] }
        let reader = try CSVReader(url: root.appendingPathComponent(dataset))
        let header = try reader.readHeader()
        var bytes: [UInt8] = []
        CSVEncoder.appendRecord(header, to: &bytes)
        var record = CSVRecord()
        while try reader.read(into: &record) {
            var fields = record.fields
            for (index, name) in header.enumerated() {
                if let map = recoded[name], let label = map[fields[index]] { fields[index] = label }
                if name == column, let value = Double(fields[index]) { fields[index] = String(change(value)) }
            }
            CSVEncoder.appendRecord(fields, to: &bytes)
        }
        let scorer = BatchScorer(bundle: bundle)
        let file = CSVReader(data: Data(bytes))
        let mapping = try ColumnMapping(header: try file.readHeader(), schema: bundle.schema)
        var samples: [DriftSample] = []
        try ChunkedScoring(scorer: scorer, threads: 2).run(
            reader: file, mapping: mapping,
            transform: { run in scorer.driftSamples(records: run.records, mapping: mapping, outcomes: run.outcomes) },
            consume: { samples += $0 })
        return (bundle, samples)
    }

    /// `count` subsamples drawn without replacement, their sizes spread evenly on a log
    /// scale from 20 to 5,000 rows (at most the data's), each measured as an upload is.
    static func subsampleReports(_ bundle: ModelBundle, _ samples: [DriftSample], count: Int, seed: UInt64) throws -> [DriftReport] {
        let profile = try #require(bundle.drift)
        var random = Seeded(state: seed)
        try #require(samples.count >= 20, "\(bundle.name): only \(samples.count) rows scored")
        let largest = Double(min(5000, samples.count))
        return (0..<count).map { _ in
            let rows = Int(exp(Double.random(in: log(20)...log(largest), using: &random)))
            let picked = samples.indices.shuffled(using: &random).prefix(rows).map { samples[$0] }
            return DriftReport(profile: profile, tallies: profile.tallies(of: picked), schema: bundle.schema)
        }
    }

    @Test(arguments: ["lending-club", "german-credit", "credit-data"])
    func cleanSubsamplesOfTheTrainingDataRarelyRaiseABanner(_ name: String) throws {
        let (bundle, samples) = try Self.samples(name)
        let reports = try Self.subsampleReports(bundle, samples, count: 200, seed: 32)
        let banners = reports.filter { $0.band == .major }
        #expect(banners.count < 2, "\(name): \(banners.count) of 200 clean subsamples raised a banner: \(banners.map { "\($0.rows) rows" })")
    }

    @Test func germanCreditsHeldOutRowsRaiseNoBanner() throws {
        // The 100 rows held out of all training (Data/samples), in every subsample size they allow.
        let bundle = try ModelBundle(directory: Self.root.appendingPathComponent("Data/models/german-credit"))
        let profile = try #require(bundle.drift)
        let file = try CSVReader(url: Self.root.appendingPathComponent("Data/samples/german-credit-sample.csv"))
        let mapping = try ColumnMapping(header: try file.readHeader(), schema: bundle.schema)
        let scorer = BatchScorer(bundle: bundle)
        var samples: [DriftSample] = []
        try ChunkedScoring(scorer: scorer, threads: 1).run(
            reader: file, mapping: mapping,
            transform: { run in scorer.driftSamples(records: run.records, mapping: mapping, outcomes: run.outcomes) },
            consume: { samples += $0 })
        var random = Seeded(state: 7)
        for rows in stride(from: 20, through: 100, by: 10) {
            let picked = Array(samples.shuffled(using: &random).prefix(rows))
            let report = DriftReport(profile: profile, tallies: profile.tallies(of: picked), schema: bundle.schema)
            #expect(report.band != .major, "\(rows) held-out rows")
        }
    }

    @Test(arguments: [
        ("lending-club", "int_rate", 0.01), ("lending-club", "annual_inc", 0.001),
        ("german-credit", "credit_amount", 100.0), ("credit-data", "Income", 1000.0),
    ])
    func filesWhoseUnitsChangedRaiseTheBannerAtEverySize(_ name: String, _ column: String, _ factor: Double) throws {
        let (bundle, samples) = try Self.samples(name, changing: column) { $0 * factor }
        let reports = try Self.subsampleReports(bundle, samples, count: 20, seed: 5)
        for report in reports {
            #expect(report.band == .major, "\(name), \(column) × \(factor), \(report.rows) rows")
            #expect(report.inputs.first?.name == column, "\(name): the changed column drifts most")
        }
    }
}
