import App
import ArgumentParser
import Foundation
import LoanRiskCore
import LoanRiskStorage
import Logging

/// `loanrisk keys …`: API keys, in the same database the server uses (`DATABASE_URL` or
/// `DATABASE_PATH`, or `--database`). A running server sees a new or revoked key within
/// about a second (it polls the keys' revision).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys for /api/v1, /v2, gRPC and /admin/v1.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Location: ParsableArguments {
        @Option(help: "The SQLite database (default: $DATABASE_PATH, else loanrisk.sqlite in the working directory).")
        var database: String?

        func store() async throws -> APIKeyStore {
            var configuration = try AppConfiguration(environment: ProcessInfo.processInfo.environment)
            if let database {
                configuration.databasePath = database
                configuration.databaseURL = nil
            }
            var logger = Logger(label: "loanrisk.keys")
            logger.logLevel = .warning
            return APIKeyStore(database: try await AppDatabase.open(configuration: configuration, logger: logger))
        }
    }

    /// Runs an operation, printing a refusal's message on standard error and exiting 1.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as APIKeyError {
            FileHandle.standardError.write(Data("loanrisk: \(error.message)\n".utf8))
            throw ExitCode(1)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("loanrisk: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as SQLError {
            FileHandle.standardError.write(Data("loanrisk: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key and print it once (only its hash is stored).",
            discussion: "Scopes: predict (/api/v1), oip (/v2), grpc, models (/admin/v1/models), admin (all of /admin/v1).")
        @OptionGroup var location: Location
        @Option(help: "The key's name, unique among keys not revoked (the audit log names the caller key:NAME).") var name: String
        @Option(name: .customLong("scope"), help: "A scope; repeat for more.") var scopes: [String] = []
        @Option(name: .customLong("model"), help: "A model the key may use; repeat for more (none: every model).") var models: [String] = []
        @Option(help: "Last day (2027-06-30) or time (ISO 8601) the key works.") var expires: String?
        @Option(help: "Requests a minute on each instance (default: API_KEY_RATE_PER_MINUTE).") var ratePerMinute: Int?
        @Option(help: "The team the key acts for.") var team: String?

        func run() async throws {
            try await KeysCommand.run {
                let new = NewAPIKey(
                    name: name, scopes: try APIKeyScope.parse(scopes.joined(separator: " ")), models: models, expiresAt: try KeyExpiry.parse(expires),
                    ratePerMinute: ratePerMinute, teamID: team, createdBy: ModelsCommand.actor)
                let created = try await location.store().create(new)
                FileHandle.standardError.write(Data("key \(created.record.id) '\(created.record.name)' created; it is shown only now:\n".utf8))
                print(created.key)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every key, without its secret.")
        @OptionGroup var location: Location

        func run() async throws {
            try await KeysCommand.run {
                let dates = ISO8601DateFormatter()
                var lines = [["ID", "NAME", "PREFIX", "SCOPES", "MODELS", "EXPIRES", "LAST USED", "STATE"]]
                for key in try await location.store().list() {
                    let state = key.revokedAt.map { "revoked " + dates.string(from: $0) } ?? (key.isLive(at: Date()) ? "live" : "expired")
                    lines.append([
                        key.id, key.name, key.prefix, key.scopes.map(\.rawValue).joined(separator: ","),
                        key.models.isEmpty ? "all" : key.models.joined(separator: ","), key.expiresAt.map(dates.string(from:)) ?? "-",
                        key.lastUsedAt.map(dates.string(from:)) ?? "-", state,
                    ])
                }
                let widths = (0..<8).map { column in lines.map { $0[column].count }.max() ?? 0 }
                for line in lines {
                    print(zip(line, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: refused everywhere within about a second.")
        @OptionGroup var location: Location
        @Argument(help: "The key's id (loanrisk keys list).") var id: String

        func run() async throws {
            try await KeysCommand.run {
                let record = try await location.store().revoke(id: id)
                print("revoked \(record.id) '\(record.name)'")
            }
        }
    }
}
