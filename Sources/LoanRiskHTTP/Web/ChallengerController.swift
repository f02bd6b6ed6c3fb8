import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// `/models/{name}/challenger`: how the challenger would have decided what the champion
/// decided — first the decisions that differ (counted, largest change first, applicants by
/// their id) and the two policies' cut-offs when they differ; then agreement, the table of
/// decision flips, the PSI between their probabilities, and the largest differences in
/// probability (linked to their rows).
struct ChallengerController {
    let registry: ModelRegistry
    let shadow: ShadowStore
    let views: Views

    func addRoutes(to pages: some RouterMethods<AppRequestContext>) {
        pages.get("/models/:name/challenger") { _, context in try await page(context: context) }
    }

    private func page(context: AppRequestContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        guard let serving = registry.serving(named: name) else { throw HTTPError(.notFound, message: "There is no such model.") }
        var comparison: ChallengerPage.Comparison?
        if let challenger = serving.challenger {
            comparison = ChallengerPage.Comparison(
                try await shadow.comparison(name: name, champion: serving.champion.version, challenger: challenger.version),
                championPolicy: serving.champion.policy, challengerPolicy: challenger.policy)
        }
        return views.page(ChallengerPage(
            base: PageBase(context, title: "\(serving.champion.title): challenger"), model: ModelSummary(serving.champion), comparison: comparison))
    }
}
