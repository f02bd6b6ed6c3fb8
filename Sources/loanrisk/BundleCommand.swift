import ArgumentParser
import Foundation
import Scoring

/// `loanrisk bundle …`: bundle folders made on the command line.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Make a model bundle folder around a model of your own.",
        subcommands: [Init.self]
    )

    /// `loanrisk bundle init --model PATH --sample CSV`: a bundle folder around any model kind.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write a bundle folder (model, bundle.json, golden.csv) around a model of any kind and a sample of applicants.",
            discussion: """
                Every feature the model reads must be a column of the sample (any delimiter, decimal \
                points or commas), as applicants will send it; extra columns are allowed.

                From the model: the inputs, in its order, and their categories. From the sample: \
                whole-number or decimal inputs and their ranges (widened to the range the model \
                records, where it records one), the template's example (the first complete row), \
                the id column (--id-column, else a column unique in every row), and the drift \
                reference: bins of every input, of the probability and of the score, made as the \
                training pipeline makes them. With --target and --positive, the model's ROC-AUC, \
                Gini, KS, Brier score and ECE on the sample (measured on the sample, not \
                cross-validated) and the policy's bad rates.

                Default policy: cut-offs at the sample's probability quantiles, approving the \
                lowest-risk 70 % of the sample, reviewing the next 10 % and declining the riskiest \
                20 % (--approve-share, --review-share). Not chosen by cost: set them to your risk \
                appetite in bundle.json. No key inputs are named: add policy.key_inputs. Score \
                scale: the model's own (a scorecard's), else 600 points at 50:1 odds, 20 points to double them.

                Golden rows: the first --golden-rows sample rows with the probability LoanRisk \
                computes for each. They record what LoanRisk computes, not what your library \
                computes: score the same rows once with your own library and compare before you \
                rely on them (LoanRisk's parity tests do that for each model kind in CI). A \
                version is promoted only if it reproduces them.
                """
        )

        @Option(help: "The model file: LightGBM model.txt, XGBoost JSON or UBJSON, or a scikit-learn or scorecard document exported by training/.")
        var model: String

        @Option(help: "A CSV of applicants as they will be sent, with every feature the model reads.")
        var sample: String

        @Option(help: "The folder to write (default: ./NAME). Refused if it already holds a bundle.json.")
        var out: String?

        @Option(help: "The bundle's name, used in URLs (default: the --out folder's name, else the model file's).")
        var name: String?

        @Option(help: "A title people read (default: the name).")
        var title: String?

        @Option(help: "The version (default: the first 12 hex digits of the model file's sha256).")
        var version: String?

        @Option(name: .customLong("id-column"), help: "The sample column identifying applicants (default: detected).")
        var idColumn: String?

        @Option(help: "The sample column holding each applicant's outcome (with --positive).")
        var target: String?

        @Option(help: "The --target label that means default (bad).")
        var positive: String?

        @Option(name: .customLong("golden-rows"), help: "How many sample rows, from the first, become golden rows.")
        var goldenRows: Int = 200

        @Option(name: .customLong("approve-share"), help: "The share of the sample the default policy approves.")
        var approveShare: Double = BundleDraft.defaultShares.approve

        @Option(name: .customLong("review-share"), help: "The share of the sample it reviews (the riskiest rest is declined).")
        var reviewShare: Double = BundleDraft.defaultShares.review

        func validate() throws {
            guard (target == nil) == (positive == nil) else {
                throw ValidationError("--target and --positive go together: the outcome column and the label that means default.")
            }
            guard goldenRows >= 1 else { throw ValidationError("--golden-rows must be at least 1.") }
            if let name { try Self.checkName(name) }
        }

        /// A name is a URL path segment: letters, digits, '-', '_' and '.'.
        static func checkName(_ name: String) throws {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }), !name.hasPrefix(".") else {
                throw ValidationError("The name '\(name)' must be letters, digits, '-', '_' or '.' (it is used in URLs): choose one with --name.")
            }
        }

        func run() throws {
            do {
                try write()
            } catch let failure as Failure {
                FileHandle.standardError.write(Data("loanrisk: \(failure.message)\n".utf8))
                throw ExitCode(1)
            } catch let error as BundleDraftError {
                FileHandle.standardError.write(Data("loanrisk: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
        }

        struct Failure: Error {
            let message: String
        }

        private func write() throws {
            let modelURL = URL(fileURLWithPath: model)
            let sampleURL = URL(fileURLWithPath: sample)
            let modelData: Data, sampleData: Data
            do { modelData = try Data(contentsOf: modelURL) } catch { throw Failure(message: "Cannot read the model \(model): \(error.localizedDescription)") }
            do { sampleData = try Data(contentsOf: sampleURL) } catch { throw Failure(message: "Cannot read the sample \(sample): \(error.localizedDescription)") }
            let loaded = try Self.loadModel(modelData, source: model)

            let name = try self.name ?? Self.defaultName(out: out, model: modelURL)
            let directory = URL(fileURLWithPath: out ?? name)
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("bundle.json").path) {
                throw Failure(message: "\(directory.path) already holds a bundle.json: choose another --out, or remove it first.")
            }
            let options = BundleDraftOptions(
                name: name, title: title, version: version, idColumn: idColumn,
                target: target.flatMap { column in positive.map { BundleDraftOptions.Target(column: column, positiveLabel: $0) } },
                goldenRows: goldenRows, approveShare: approveShare, reviewShare: reviewShare)
            let draft = try BundleDraft(
                model: loaded.model, modelData: modelData, modelFileName: loaded.fileName, sample: sampleData,
                sampleName: sampleURL.lastPathComponent, options: options)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try modelData.write(to: directory.appendingPathComponent(loaded.fileName))
                try draft.bundleJSON.write(to: directory.appendingPathComponent("bundle.json"))
                try draft.golden.write(to: directory.appendingPathComponent("golden.csv"))
            } catch {
                throw Failure(message: "Cannot write \(directory.path): \(error.localizedDescription)")
            }
            print(Self.summary(draft, directory: directory, modelFileName: loaded.fileName))
        }

        /// The --out folder's name, else the model file's name without its extension (and
        /// without a generic `model`, which names nothing: then its folder's).
        static func defaultName(out: String?, model: URL) throws -> String {
            let name: String
            if let out {
                name = URL(fileURLWithPath: out).standardizedFileURL.lastPathComponent
            } else {
                let stem = model.deletingPathExtension().lastPathComponent
                name = stem.lowercased() == "model" ? model.deletingLastPathComponent().standardizedFileURL.lastPathComponent : stem
            }
            try checkName(name)
            return name
        }
    }
}
