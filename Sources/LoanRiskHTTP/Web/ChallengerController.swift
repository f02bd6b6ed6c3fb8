import Foundation
import Hummingbird
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// `/models/{name}/challenger`: how the challenger would have decided what the champion
/// decided — agreement, the table of decision flips, the PSI between their probabilities,
/// and the applicants on whom they differ most (linked to their rows).
struct ChallengerController {
    let registry: ModelRegistry
    let shadow: ShadowStore
    let views: Views

    func addRoutes(to pages: some RouterMethods<AppRequestContext>) {
        pages.get("/models/:name/challenger") { _, context in try await page(context: context) }
    }

    /// A comparison as the page shows it.
    struct View {
        let comparison: ShadowStore.Comparison

        var values: [String: Any] {
            let c = comparison
            let labels = ShadowStore.Comparison.decisions
            return [
                "champion": c.champion, "challenger": c.challenger, "pairs": Formatting.count(c.pairs), "hasPairs": c.pairs > 0,
                "agreement": c.agreement.map { Formatting.percent($0) } ?? "—",
                "psi": c.scorePSI.map { String(format: "%.4f", $0) } ?? "—",
                "psiBand": c.scorePSI.map(Self.band) ?? "",
                "flips": labels.enumerated().map { a, label -> [String: Any] in
                    ["decision": label, "cells": labels.indices.map { b -> [String: Any] in
                        ["count": Formatting.count(c.flips[a][b]), "same": a == b]
                    }]
                },
                "decisions": labels,
                "differences": c.largestDifferences.map { d -> [String: Any] in
                    var row: [String: Any] = [
                        "where": d.channel == .batch ? "batch \(d.requestID), row \(d.rowNumber)" : "\(d.channel.rawValue) request \(d.requestID), applicant \(d.rowNumber)",
                        "champion": Formatting.percent(d.championProbability), "challenger": Formatting.percent(d.challengerProbability),
                        "difference": String(format: "%+.2f pp", (d.challengerProbability - d.championProbability) * 100),
                        "championDecision": d.championDecision, "challengerDecision": d.challengerDecision,
                    ]
                    if d.channel == .batch { row["link"] = "/batches/\(d.requestID)/rows/\(d.rowNumber)" }
                    return row
                },
            ]
        }

        /// The band in words, by the same rule as drift (`DriftBands.standard`).
        static func band(_ psi: Double) -> String {
            let bands = DriftBands.standard
            switch bands.band(psi) {
            case .stable: return "stable (below \(bands.moderate))"
            case .moderate: return "a moderate shift (\(bands.moderate)–\(bands.major))"
            case .major: return "a major shift (above \(bands.major))"
            }
        }
    }

    private func page(context: AppRequestContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        guard let serving = registry.serving(named: name) else { throw HTTPError(.notFound, message: "There is no such model.") }
        var values = PageContext(registry: registry).base(context, title: "\(serving.champion.title): challenger")
        values["model"] = PageContext.model(serving.champion)
        if let challenger = serving.challenger {
            let comparison = try await shadow.comparison(name: name, champion: serving.champion.version, challenger: challenger.version)
            values["comparison"] = View(comparison: comparison).values
        }
        return views.page("challenger", values)
    }
}
