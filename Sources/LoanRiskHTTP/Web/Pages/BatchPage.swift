import LoanRiskCore

/// `batch.mustache`: a batch's results — its portfolio summary, drift, the download with
/// reasons, and the applicants table with its sort, filters, chosen columns and pages.
struct BatchPage: PageView {
    /// The batch itself, for the title row and the delete form.
    struct Heading: MustacheValues {
        let id: String
        let fileName: String
        let model: String
        let modelVersion: String
        let created: String
        let readWithDecimalCommas: Bool
    }

    /// The "download with reasons" part: a button, progress, or the link (`downloadView`).
    struct Download: MustacheValues {
        /// `ReasonsController.Status.State`'s raw value, for the page's script.
        let state: String
        let json: String
        let start: String
        let file: String
        let done: Int
        /// At least 1, for the progress bar's maximum.
        let total: Int
        let percent: Int
        let doneText: String
        let totalText: String
        let message: String?
        var isUnavailable = false
        var canStart = false
        var isFailed = false
        var isRunning = false
        var isReady = false
        /// When the file was made; set once ready.
        var created: String?
    }

    /// A column header: a fixed column sorts by itself; an uploaded one is only named.
    struct Column: MustacheValues {
        let label: String
        let link: String
        let active: Bool
        /// `▲`, `▼`, or empty.
        let arrow: String
        /// `num`, or empty.
        let cssClass: String
        let ariaSort: String
        let uploaded: Bool
        /// The script's name for the column.
        let key: String
        /// An uploaded column's own name, shown after `label` (its business name); nil when
        /// `label` is the name, and for the page's own columns.
        let column: String?
        /// `column` as HTML (escaped) that may break after each underscore, so that a long
        /// name (`total_il_high_credit_limit`) wraps in its header instead of widening it.
        var columnHTML: String? = nil
    }

    /// The column chooser: every uploaded column but the id, and the view's other parameters
    /// as hidden fields so that choosing columns keeps the sort and filters.
    struct ColumnChoice: MustacheValues {
        struct Option: MustacheValues {
            let name: String
            /// The business name, or the column's name when the schema gives none.
            let label: String
            /// The column's name after `label`; nil when `label` is it.
            let column: String?
            let checked: Bool
        }

        struct Field: MustacheValues {
            let name: String
            let value: String
        }

        let options: [Option]
        let keep: [Field]
        let marker: String
        let max: Int
    }

    /// The filter form's current values.
    struct Filters: MustacheValues {
        struct Choice: MustacheValues {
            let value: String
            let label: String
            let selected: Bool
        }

        let q: String
        let pmin: String
        let pmax: String
        let smin: String
        let smax: String
        let decisions: [Choice]
        let states: [Choice]
        let sort: String
        let dir: String
    }

    /// One applicant of the table.
    struct Row: MustacheValues {
        struct Cell: MustacheValues {
            /// The column's business name, for a phone's card.
            let name: String
            /// As the schema writes it ("$51,000", "12.99 %", "under 1 year"); as uploaded
            /// for a column the schema does not describe.
            let value: String
            /// Right-aligned, as numbers are.
            var numeric = false
        }

        let number: Int
        let id: String
        let probability: String
        let decision: String
        let score: String
        let state: String
        /// Empty when the row is OK.
        let status: String
        let scored: Bool
        let link: String
        /// The uploaded columns on show.
        let cells: [Cell]
        /// The analyst's decision of a review case; nil until made.
        let analyst: String?
    }

    static let template = "batch"
    let base: PageBase
    let batch: Heading
    let portfolio: PortfolioView
    /// Nil when the batch has no drift report, or its model version is gone.
    let drift: DriftView?
    /// Why there are no drift figures; nil when there are (or the version is gone).
    let driftNote: String?
    let hasID: Bool
    let idColumn: String
    let columns: [Column]
    let shownColumns: [String]
    /// `2 shown`; nil when none.
    let shownNote: String?
    let columnChoice: ColumnChoice
    /// What the search box looks in; nil when there is nothing to search.
    let searchLabel: String?
    /// Why rows have no reasons; nil when they can.
    let reasonsNote: String?
    let showReasons: Bool
    /// Where the page's script asks for the rows' top reasons; nil without reasons.
    let reasonsLink: String?
    let rows: [Row]
    let download: Download
    /// Seconds, for the layout's no-script refresh while the reasons file is being made.
    let refresh: String?
    let filters: Filters
    let matching: String
    let matchingNoun: String
    /// The view's filters and sort, for the results download.
    let exportQuery: String
    let isFiltered: Bool
    /// `rows 51–100`, or empty.
    let range: String
    let hasReview: Bool
    let page: Int
    let pageCount: Int
    let previous: String?
    let next: String?
    let errorsLink: String
    /// The table's columns, for the empty row's span.
    let columnCount: Int
    /// Whether a (posted) search narrows the view: its download is then a form, not a link.
    let searching: Bool
    /// The view's filters, sort and columns in words, for the printed report.
    let viewDescription: String
    let savedViews: SavedViewsPart
}
