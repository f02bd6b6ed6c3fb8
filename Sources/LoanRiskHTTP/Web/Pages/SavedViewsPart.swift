import LoanRiskCore

/// `saved_views.mustache`, a part of the batch page: the model's saved views, each a link that
/// opens it on this batch (and on any other of the model), and the form that saves the view
/// on screen — its sort, filters and columns as hidden fields, never its search.
struct SavedViewsPart: MustacheValues {
    struct Entry: MustacheValues {
        let id: String
        let name: String
        /// `/batches/{id}?view={view}`: shareable, it opens the view on this batch.
        let link: String
        let description: String
        let deleteAction: String
    }

    let model: String
    let entries: [Entry]
    /// `3 saved`, or nil when none.
    let countNote: String?
    let saveAction: String
    /// The view on screen, as the fields that reproduce it.
    let keep: [BatchPage.ColumnChoice.Field]
    /// Where a deletion without script goes back to.
    let back: String
    let maxNameLength: Int
}
