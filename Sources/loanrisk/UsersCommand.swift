import App
import ArgumentParser
import Foundation
import LoanRiskCore
import LoanRiskStorage
import Logging

/// `loanrisk users …`: accounts, in the server's database (`DATABASE_URL` or `DATABASE_PATH`,
/// or `--database`), for the first admin on a machine without a browser and for scripts and
/// test suites. Passwords are read from standard input (never from the command line, where
/// `ps` and shell history would keep them) or generated and printed once.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create and list accounts.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account (an admin with --admin).")

        @OptionGroup var location: ModelsCommand.Location
        @Argument(help: "The sign-in name.") var name: String
        @Flag(help: "Make the account an admin (same as --role admin).") var admin = false
        @Option(help: "viewer, analyst, model_admin or admin (default analyst).") var role: String?
        @Option(help: "The team's name (default: the Default team); created if missing.") var team: String?
        @Flag(help: "Read the password from standard input (one line) instead of generating one.") var passwordStdin = false

        func run() async throws {
            try await ModelsCommand.run {
                let service = try await UsersCommand.service(location)
                let chosen = admin ? Role.admin : try role.map { text in
                    guard let role = Role(rawValue: text) else { throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") }
                    return role
                } ?? .analyst
                var teamID = Team.defaultID
                if let team {
                    switch try await service.accounts.teamCreatingIfMissing(named: team) {
                    case .success(let found): teamID = found.id
                    case .failure(let error): throw UsersCommand.Refused(error.message)
                    }
                }
                let generated = passwordStdin ? nil : UsersCommand.generatedPassword()
                guard let password = generated ?? readLine(strippingNewline: true) else { throw UsersCommand.Refused("no password on standard input.") }
                switch try await service.create(NewAccount(name: name, role: chosen, teamID: teamID), password: password) {
                case .success(let account):
                    print("created \(account.name) (\(account.role.rawValue), team \(team ?? "Default"))")
                    if let generated { print("password: \(generated)\n  shown once; sign in and change it on /account") }
                case .failure(let error):
                    throw UsersCommand.Refused(error.message)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var location: ModelsCommand.Location

        func run() async throws {
            try await ModelsCommand.run {
                let service = try await UsersCommand.service(location)
                let teams = Dictionary(try await service.accounts.teams().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                for account in try await service.accounts.accounts() {
                    print("\(account.name)\t\(account.role.rawValue)\t\(teams[account.teamID] ?? account.teamID)\(account.disabled ? "\tdisabled" : "")")
                }
            }
        }
    }

    struct Refused: Error, CustomStringConvertible {
        let description: String
        init(_ message: String) { description = message }
    }

    static func service(_ location: ModelsCommand.Location) async throws -> AccountService {
        var configuration = try AppConfiguration(environment: ProcessInfo.processInfo.environment)
        if let database = location.database {
            configuration.databasePath = database
            configuration.databaseURL = nil
        }
        var logger = Logger(label: "loanrisk.users")
        logger.logLevel = .warning
        let database = try await AppDatabase.open(configuration: configuration, logger: logger)
        let settings = configuration.core.accounts
        let policy = try settings.commonPasswords.map { try PasswordPolicy.load(from: $0) } ?? PasswordPolicy(commonPasswords: [])
        return AccountService(
            database: database, policy: policy, hasher: PasswordHasher(cost: settings.bcryptCost), sessionIdle: settings.sessionIdle,
            sessionMax: settings.sessionMax)
    }

    /// Five random words' worth of letters: 24 characters from a 32-letter alphabet (120 bits).
    static func generatedPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")
        let letters = (0..<24).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }
        return stride(from: 0, to: 24, by: 6).map { String(letters[$0..<$0 + 6]) }.joined(separator: "-")
    }
}
