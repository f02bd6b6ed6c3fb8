import LoanRiskCore

/// `models.mustache`: every model served, the default first.
struct ModelsPage: PageView {
    struct Entry: MustacheValues {
        let model: ModelSummary
        let isDefault: Bool
    }

    static let template = "models"
    let base: PageBase
    let entries: [Entry]
}
