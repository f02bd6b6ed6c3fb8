import LoanRiskCore
import Mustache

/// `index.mustache`: the upload form, the chosen model's links and every model's description,
/// and, after a refused file, what was wrong with it.
struct UploadPage: PageView, MustacheValues {
    /// A required column the file lacks: "Loan amount" (`funded_amnt`); `phrase` nil when the
    /// schema gives none.
    struct MissingColumn: MustacheValues {
        let phrase: String?
        let name: String
    }

    static let template = "index"
    let base: PageBase
    /// The chosen model.
    let model: ModelSummary
    let choices: [Choice]
    let maxUploadMB: Int
    let retentionDays: Int
    /// The chosen model has a sample file.
    let hasSample: Bool
    /// Every model's description (the page's script shows the chosen one's).
    let abouts: [About]
    /// Why the last file was refused, in short; nil when none was.
    let problem: String?
    let expectedHeader: String?
    /// Each missing column by its business name first, the column's name second.
    let missingColumns: [MissingColumn]
    let hasMissing: Bool
    /// Another model whose columns the refused file has.
    let suggestion: Suggestion?

    struct Choice: MustacheValues {
        let name: String
        let title: String
        let version: String
        let selected: Bool
    }

    /// A model's description with whether it is the chosen one and has a sample: the
    /// summary's keys read as its own, as the template reads them.
    struct About: MustacheParent {
        let summary: ModelSummary
        let selected: Bool
        let hasSample: Bool

        func child(named name: String) -> Any? {
            switch name {
            case "selected": selected
            case "hasSample": hasSample
            default: StoredProperties.value(named: name, of: summary)
            }
        }
    }

    struct Suggestion: MustacheValues {
        let name: String
        let title: String
    }
}
