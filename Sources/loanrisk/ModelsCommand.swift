import App
import LoanRiskCore
import LoanRiskStorage
import ArgumentParser
import Foundation
import Logging
import Scoring

/// `loanrisk models …`: the model registry, in the same database the server uses
/// (`DATABASE_URL` or `DATABASE_PATH`, or `--database`). A running server picks every change
/// up within two seconds (its registry poll; at once on PostgreSQL, which announces it).
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, register, promote, roll back and remove model versions.",
        subcommands: [List.self, Register.self, Promote.self, Rollback.self, ClearChallenger.self, Remove.self, History.self]
    )

    /// Where the registry is: the server's database.
    struct Location: ParsableArguments {
        @Option(help: "The SQLite database (default: $DATABASE_PATH, else loanrisk.sqlite in the working directory).")
        var database: String?

        /// The registry in PostgreSQL when `DATABASE_URL` is set (and no `--database`), else the SQLite file.
        func lifecycle() async throws -> ModelLifecycle {
            var configuration = try AppConfiguration(environment: ProcessInfo.processInfo.environment)
            if let database {
                configuration.databasePath = database
                configuration.databaseURL = nil
            }
            var logger = Logger(label: "loanrisk.models")
            logger.logLevel = .warning
            return ModelLifecycle(store: RegistryStore(database: try await AppDatabase.open(configuration: configuration, logger: logger)))
        }
    }

    /// Who the registry's history names for changes made here.
    static var actor: String {
        "cli:" + (ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")
    }

    /// Runs an operation, printing a refusal's message on standard error and exiting 1.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as LifecycleError {
            FileHandle.standardError.write(Data("loanrisk: \(error.message)\n".utf8))
            if let changes = error.inputChanges, !changes.isEmpty {
                FileHandle.standardError.write(Data("  use --force to accept: it \(changes.sentence)\n".utf8))
            }
            throw ExitCode(1)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("loanrisk: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as SQLError {
            FileHandle.standardError.write(Data("loanrisk: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as UsersCommand.Refused {
            FileHandle.standardError.write(Data("loanrisk: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every version, its aliases and sha256.")
        @OptionGroup var location: Location

        func run() async throws {
            try await ModelsCommand.run {
                let summaries = try await location.lifecycle().store.summaries()
                var lines = [["NAME", "VERSION", "ALIASES", "SHA256", "CREATED", "BY"]]
                let dates = ISO8601DateFormatter()
                for s in summaries {
                    lines.append([s.name, s.version, s.aliases.map(\.rawValue).joined(separator: ","), String(s.sha256.prefix(12)),
                                  dates.string(from: s.createdAt), s.promotedBy ?? s.createdBy])
                }
                let widths = (0..<6).map { column in lines.map { $0[column].count }.max() ?? 0 }
                for line in lines {
                    print(zip(line, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
                }
            }
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a bundle folder or a model file as a new version.")
        @OptionGroup var location: Location
        @Argument(help: "A bundle folder (model file, bundle.json, golden.csv) or a model file: LightGBM model.txt, XGBoost .json/.ubj, a scikit-learn or scorecard export.")
        var path: String
        @Option(help: "The name for a bare model file (default: its file's or folder's name).")
        var name: String?
        @Flag(help: "Make it the champion once it passes validation.")
        var promote = false
        @Flag(help: "With --promote: accept inputs that differ from the champion's.")
        var force = false

        func run() async throws {
            try await ModelsCommand.run {
                let lifecycle = try await location.lifecycle()
                let files = try ModelLifecycle.Files(location: URL(fileURLWithPath: path), name: name)
                let (record, registration) = try await lifecycle.register(files, actor: ModelsCommand.actor)
                print("\(registration == .created ? "registered" : "already registered") \(record.name) \(record.version) (sha256 \(record.sha256))")
                if promote {
                    let promotion = try await lifecycle.promote(name: record.name, version: record.version, actor: ModelsCommand.actor, force: force)
                    print(Promote.describe(promotion))
                }
            }
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Point an alias (champion by default) at a version, after validating it.")
        @OptionGroup var location: Location
        @Argument var name: String
        @Argument var version: String
        @Option(help: "champion or challenger.")
        var alias: String = ModelAlias.champion.rawValue
        @Flag(help: "Accept inputs that differ from the champion's.")
        var force = false

        func run() async throws {
            guard let alias = ModelAlias(rawValue: alias) else {
                throw ValidationError("--alias must be champion or challenger, not '\(alias)'.")
            }
            try await ModelsCommand.run {
                let promotion = try await location.lifecycle().promote(name: name, version: version, alias: alias, actor: ModelsCommand.actor, force: force)
                print(Self.describe(promotion))
            }
        }

        static func describe(_ p: ModelLifecycle.Promotion) -> String {
            var text = "\(p.name) \(p.alias.rawValue): \(p.previous ?? "none") → \(p.version)"
            if let rows = p.goldenRows { text += "; \(rows) golden rows reproduced" }
            if !p.inputChanges.isEmpty { text += "; inputs: it \(p.inputChanges.sentence) (forced)" }
            return text
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make the previous champion the champion again.")
        @OptionGroup var location: Location
        @Argument var name: String

        func run() async throws {
            try await ModelsCommand.run {
                print(Promote.describe(try await location.lifecycle().rollback(name: name, actor: ModelsCommand.actor)))
            }
        }
    }

    struct ClearChallenger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear-challenger", abstract: "Stop shadow-scoring with a challenger.")
        @OptionGroup var location: Location
        @Argument var name: String

        func run() async throws {
            try await ModelsCommand.run {
                let cleared = try await location.lifecycle().store.clearAlias(.challenger, of: name, actor: ModelsCommand.actor)
                print(cleared.map { "\(name) challenger \($0) cleared" } ?? "\(name) has no challenger")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a version that serves nothing and scored no stored batch.")
        @OptionGroup var location: Location
        @Argument var name: String
        @Argument var version: String

        func run() async throws {
            try await ModelsCommand.run {
                try await location.lifecycle().store.remove(name: name, version: version)
                print("removed \(name) \(version)")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every move of a model's aliases, newest first.")
        @OptionGroup var location: Location
        @Argument var name: String

        func run() async throws {
            try await ModelsCommand.run {
                let dates = ISO8601DateFormatter()
                for event in try await location.lifecycle().store.history(of: name) {
                    print("\(dates.string(from: event.at))  \(event.alias.rawValue)  \(event.fromVersion ?? "none") → \(event.toVersion ?? "none")  by \(event.actor)\(event.forced ? "  (forced)" : "")")
                }
            }
        }
    }
}
