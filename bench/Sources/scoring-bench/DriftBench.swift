import ArgumentParser
import Foundation
import Scoring

/// Times a drift report (PSI of every input) for a file already in memory, the figure set
/// beside Evidently's DataDriftPreset(method="psi") on the same data (bench/drift.sh). The
/// reference is made from `--reference` the way the training pipeline makes bundle.json's
/// (deciles of each column, one bin per value when there are at most 10; missing apart), so
/// any file can be compared with any other. Prints each input's PSI as JSON with `--psi-out`.
struct DriftBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drift", abstract: "Drift report speed.")

    @Option(help: "A LightGBM model.txt (its features are the columns).") var model: String
    @Option(help: "The reference CSV (what training looked like).") var reference: String
    @Option(help: "The CSV to compare with it.") var current: String
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option var repeats = 5
    @Option(help: "Write {column: {psi, edges}} here (the edges of the reference's bins).") var psiOut: String?

    func run() throws {
        let lightgbm = try LightGBMModel(contentsOf: URL(fileURLWithPath: model))
        let scorer = BatchScorer(bundle: ModelBundle(bareModel: lightgbm, name: "bench"))
        let (referenceValues, _) = try BenchInput.matrix(reference, scorer: scorer)
        let (values, rows) = try BenchInput.matrix(current, scorer: scorer)
        let bins = Dictionary(uniqueKeysWithValues: scorer.schema.features.enumerated().map { index, spec in
            (spec.name, Self.reference(referenceValues, feature: index))
        })
        guard let profile = DriftProfile(schema: scorer.schema, reference: .init(features: bins)) else {
            throw ValidationError("no usable reference")
        }
        var times: [Double] = []
        var report: DriftReport?
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            let tallies = profile.tally(values, threads: threads)
            report = DriftReport(profile: profile, tallies: tallies, schema: scorer.schema)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        guard let report else { return }
        print("drift report, \(rows) rows × \(scorer.schema.features.count) inputs, \(threads) threads: "
              + "best \(String(format: "%.4f", times[0])) s, median \(String(format: "%.4f", times[times.count / 2])) s")
        print("inputs in the major band: \(report.inputs.filter { $0.band == .major }.count), moderate: \(report.inputs.filter { $0.band == .moderate }.count)")
        if let psiOut {
            let out = Dictionary(uniqueKeysWithValues: report.inputs.map { input -> (String, [String: Any]) in
                (input.name, ["psi": input.psi, "edges": bins[input.name]?.edges ?? []])
            })
            try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]).write(to: URL(fileURLWithPath: psiOut))
            try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: psiOut + ".report.json"))
        }
    }

    /// Deciles of a column (one bin per value when it has at most 10), as the training pipeline bins.
    static func reference(_ values: FeatureMatrix, feature: Int) -> BundleManifest.FeatureReference {
        var present: [Double] = []
        for row in 0..<values.rowCount where !values[row, feature].isNaN { present.append(values[row, feature]) }
        present.sort()
        let total = Double(values.rowCount)
        let missing = Double(values.rowCount - present.count) / total
        guard let first = present.first, let last = present.last else { return .init(kind: "numeric", edges: [0, 1], proportions: [0], missing: 1) }
        var distinct = [first]
        for v in present where v != distinct[distinct.count - 1] { distinct.append(v); if distinct.count > 11 { break } }
        var edges: [Double]
        if distinct.count <= 10 {
            edges = distinct + [last]
            if edges.count < 2 { edges = [first, last] }
        } else {
            edges = (0...10).map { present[min(present.count - 1, $0 * (present.count - 1) / 10)] }
            edges = edges.reduce(into: [Double]()) { out, e in if out.last != e { out.append(e) } }
        }
        if edges.count < 2 { edges = [first, last] }
        var counts = [Int](repeating: 0, count: edges.count - 1)
        edges.withUnsafeBufferPointer { edges in
            for v in present { counts[DriftBins.numericBin(v, edges: edges).bin] += 1 }
        }
        return .init(kind: "numeric", edges: edges, proportions: counts.map { Double($0) / total }, missing: missing)
    }
}
