import LoanRiskCore
import Scoring

/// `challenger.mustache`: a model's champion against its challenger, or how to set one.
struct ChallengerPage: PageView {
    static let template = "challenger"
    let base: PageBase
    /// The champion.
    let model: ModelSummary
    /// Nil when the model has no challenger.
    let comparison: Comparison?

    /// A comparison as the page shows it.
    struct Comparison: MustacheValues {
        /// One row of the table of decision flips: the champion's decision, then the count
        /// for each of the challenger's.
        struct Flips: MustacheValues {
            struct Cell: MustacheValues {
                let count: String
                /// The two decided alike: the diagonal.
                let same: Bool
            }

            let decision: String
            let cells: [Cell]
        }

        /// An applicant the two decided differently, or on whom their probabilities differ most.
        struct Difference: MustacheValues {
            /// The applicant's id as the file or request gave it; `row 3 (no id)` without one.
            let applicant: String
            let champion: String
            let challenger: String
            /// `+3.12 pp`: the challenger's probability less the champion's, in percentage points.
            let difference: String
            let championDecision: String
            let challengerDecision: String
            /// The row's page, for a batch row; nil otherwise.
            let link: String?

            init(_ d: ShadowPair) {
                let unnamed = d.channel == .batch ? "row \(d.rowNumber) (no id)" : "applicant \(d.rowNumber) of a \(d.channel.rawValue) request (no id)"
                applicant = d.applicantID.flatMap { $0.isEmpty ? nil : $0 } ?? unnamed
                champion = Formatting.percent(d.championProbability)
                challenger = Formatting.percent(d.challengerProbability)
                difference = Formatting.points(d.challengerProbability - d.championProbability)
                championDecision = d.championDecision
                challengerDecision = d.challengerDecision
                link = d.channel == .batch ? "/batches/\(d.requestID)/rows/\(d.rowNumber)" : nil
            }
        }

        let champion: String
        let challenger: String
        let pairs: String
        let hasPairs: Bool
        let agreement: String
        let psi: String
        let psiBand: String
        let flips: [Flips]
        let decisions: [String]
        /// `41 of 300 decisions differ (13.7 %)`.
        let flippedSummary: String
        /// The decisions that differ, the largest change first; empty when none do.
        let flipped: [Difference]
        let hasFlipped: Bool
        /// `Showing the first 50.` when more differ than are listed; nil otherwise.
        let flippedMore: String?
        /// The two policies' cut-offs, said once; `cutoffsDiffer` when they are not the same,
        /// so a flip may come from the cut-offs rather than the probabilities.
        let cutoffs: String
        let cutoffsDiffer: Bool
        let differences: [Difference]

        init(_ c: ShadowStore.Comparison, championPolicy: DecisionPolicy, challengerPolicy: DecisionPolicy) {
            let labels = ShadowStore.Comparison.decisions
            champion = c.champion
            challenger = c.challenger
            pairs = Formatting.count(c.pairs)
            hasPairs = c.pairs > 0
            agreement = c.agreement.map { Formatting.percent($0) } ?? "—"
            psi = Formatting.statistic(c.scorePSI)
            psiBand = c.scorePSI.map(Self.band) ?? ""
            flips = labels.enumerated().map { a, label in
                Flips(decision: label, cells: labels.indices.map { b in Flips.Cell(count: Formatting.count(c.flips[a][b]), same: a == b) })
            }
            decisions = labels
            flippedSummary = "\(Formatting.count(c.flippedCount)) of \(Formatting.count(c.pairs)) decisions differ (\(Formatting.rate(c.flippedCount, of: c.pairs)))"
            flipped = c.flipped.map(Difference.init)
            hasFlipped = !c.flipped.isEmpty
            flippedMore = c.flippedCount > c.flipped.count ? "Showing the \(Formatting.count(c.flipped.count)) largest changes." : nil
            cutoffsDiffer = championPolicy.approveBelow != challengerPolicy.approveBelow
                || championPolicy.declineAtOrAbove != challengerPolicy.declineAtOrAbove
            cutoffs = cutoffsDiffer
                ? "The two policies' cut-offs differ: the challenger \(Self.policy(challengerPolicy)); the champion \(Self.policy(championPolicy)). "
                    + "Some decisions differ because of the cut-offs, not the probabilities."
                : "Both policies \(Self.policy(championPolicy)): decisions differ only where the probabilities do."
            differences = c.largestDifferences.map(Difference.init)
        }

        /// A policy's cut-offs in words: `approves below 5.58 % and declines from 14.25 %`.
        static func policy(_ p: DecisionPolicy) -> String {
            p.approveBelow < p.declineAtOrAbove
                ? "approves below \(Formatting.percent(p.approveBelow)) and declines from \(Formatting.percent(p.declineAtOrAbove))"
                : "declines from \(Formatting.percent(p.declineAtOrAbove)) and approves below"
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
}
