import LoanRiskCore

/// `applicant.mustache`: the single-applicant form, one field per model input.
struct ApplicantFormPage: PageView, MustacheValues {
    static let template = "applicant"
    let base: PageBase
    let model: ModelSummary
    let fields: [Field]
    /// Some value could not be read.
    let hasErrors: Bool
    let notice: String?
    let choices: [Choice]

    struct Field: MustacheValues {
        let name: String
        let label: String
        let description: String
        let value: String
        let errors: [String]
        let hasErrors: Bool
        let isCategorical: Bool
        let placeholder: String
        let unit: String?
        /// A categorical input's categories; nil for a number.
        let options: [Option]?
        /// A number's input step; nil for a category.
        let step: String?
        /// The training range, worded; nil when unknown or categorical.
        let range: String?
    }

    struct Option: MustacheValues {
        let value: String
        let text: String
        let selected: Bool
    }

    struct Choice: MustacheValues {
        let name: String
        let title: String
        let selected: Bool
    }
}

/// `applicant_result.mustache`: a stored decision's page.
struct ApplicantResultPage: PageView, MustacheValues {
    static let template = "applicant_result"
    let base: PageBase
    let model: ModelLine
    /// The analyst's form, when the policy referred the applicant; nil otherwise.
    let review: ReviewFormView?
    let probability: String
    let decision: String
    let score: String
    let decided: String
    let edit: String
    let again: String
    let permalink: String
    /// The distance to the policy's cut-offs; nil when the model version is gone.
    let cutoff: String?
    let warnings: [String]
    let used: [Used]
    let explanation: ExplanationView?
    let reasonsNote: String?
    let whatIf: WhatIf?

    /// The model the decision was made with, by name and version (it may no longer be served).
    struct ModelLine: MustacheValues {
        let name: String
        let title: String
        let version: String
    }

    struct Used: MustacheValues {
        let label: String
        let value: String
    }

    struct WhatIf: MustacheValues {
        let action: String
        let inputs: [Input]
        let value: String
        let problem: String?
        let outcome: Outcome?

        struct Input: MustacheValues {
            let name: String
            let label: String
            let selected: Bool
        }

        struct Outcome: MustacheValues {
            let label: String
            let was: String
            let now: String
            let probability: String
            let baseline: String
            let change: String
            let decision: String
            let decisionChanged: Bool
            let previousDecision: String
        }
    }
}
