import LoanRiskCore

/// `model.mustache`: a model card — the model, its evidence from bundle.json, fair lending and
/// its inputs.
struct ModelPage: PageView {
    /// One input column as the card lists it.
    struct Feature: MustacheValues {
        let name: String
        let kind: String
        let description: String
        /// `low – high` seen in training, or empty.
        let range: String
        /// The first 30 categories, comma-separated, or empty.
        let categories: String
        /// Nil when the schema gives none.
        let unit: String?
        /// The business name ("Loan amount"), shown before the column's; nil when the schema
        /// gives none or it is the column's name.
        let phrase: String?
    }

    /// A feature computed from the inputs.
    struct Derived: MustacheValues {
        let name: String
        let description: String
        let inputs: String
    }

    static let template = "model"
    let base: PageBase
    let model: ModelSummary
    let features: [Feature]
    /// Empty for a bare model.txt.
    let derived: [Derived]
    let modelWarnings: [String]
    /// Nil when bundle.json cannot be read (a bare model.txt).
    let card: ModelCardData?
    /// Nil when bundle.json records none of it.
    let fairLending: FairLendingCard?
    /// What the model says about itself: library, objective, trees, how it is scored.
    let modelFacts: [Fact]

    struct Fact: MustacheValues {
        let label: String
        let value: String
    }
}
