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

        /// An applicant on whom the two differ most.
        struct Difference: MustacheValues {
            /// Which applicant: `batch …, row 3` or `json request …, applicant 1`.
            let applicant: String
            let champion: String
            let challenger: String
            let difference: String
            let championDecision: String
            let challengerDecision: String
            /// The row's page, for a batch row; nil otherwise.
            let link: String?
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
        let differences: [Difference]

        init(_ c: ShadowStore.Comparison) {
            let labels = ShadowStore.Comparison.decisions
            champion = c.champion
            challenger = c.challenger
            pairs = Formatting.count(c.pairs)
            hasPairs = c.pairs > 0
            agreement = c.agreement.map { Formatting.percent($0) } ?? "—"
            psi = c.scorePSI.map { String(format: "%.4f", $0) } ?? "—"
            psiBand = c.scorePSI.map(Self.band) ?? ""
            flips = labels.enumerated().map { a, label in
                Flips(decision: label, cells: labels.indices.map { b in Flips.Cell(count: Formatting.count(c.flips[a][b]), same: a == b) })
            }
            decisions = labels
            differences = c.largestDifferences.map { d in
                Difference(
                    applicant: d.channel == .batch
                        ? "batch \(d.requestID), row \(d.rowNumber)" : "\(d.channel.rawValue) request \(d.requestID), applicant \(d.rowNumber)",
                    champion: Formatting.percent(d.championProbability), challenger: Formatting.percent(d.challengerProbability),
                    difference: String(format: "%+.2f pp", (d.challengerProbability - d.championProbability) * 100),
                    championDecision: d.championDecision, challengerDecision: d.challengerDecision,
                    link: d.channel == .batch ? "/batches/\(d.requestID)/rows/\(d.rowNumber)" : nil)
            }
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
