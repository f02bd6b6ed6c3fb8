import ArgumentParser

@main
struct LoanRisk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loanrisk",
        abstract: "Loan-default scoring with LightGBM models evaluated natively.",
        subcommands: [ServeCommand.self, ScoreCommand.self, ModelsCommand.self, BundleCommand.self, UsersCommand.self, KeysCommand.self]
    )
}
