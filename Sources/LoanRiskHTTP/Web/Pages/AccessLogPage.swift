import LoanRiskCore

/// `access_log.mustache`: the latest access events with a filter by caller, action and dates,
/// and the download links of the same filter.
struct AccessLogPage: PageView {
    struct Event: MustacheValues {
        let at: String
        let caller: String
        let action: String
        let kind: String
        let object: String
        let outcome: String
        let address: String
        let requestID: String
    }

    struct Option: MustacheValues {
        let value: String
        let label: String
        let selected: Bool
    }

    static let template = "access_log"
    let base: PageBase
    let retentionDays: Int
    let caller: String
    let from: String
    let to: String
    let actions: [Option]
    let csvLink: String
    let ndjsonLink: String
    let summary: String
    let hasEvents: Bool
    let events: [Event]
}

/// `applicant_rights.mustache`: the forms of an access export and an erasure by applicant id,
/// and an erasure's report once made.
struct ApplicantRightsPage: PageView {
    struct Report: MustacheValues {
        struct Count: MustacheValues {
            let label: String
            let count: String
        }

        struct Batch: MustacheValues {
            let batchID: String
            let rows: String
        }

        struct Retained: MustacheValues {
            let label: String
            let count: String
            let expires: String
            let legalBasis: String
            let erasedBy: String
        }

        let when: String
        let erased: [Count]
        let hasBatches: Bool
        let batches: [Batch]
        let retained: [Retained]
    }

    static let template = "applicant_rights"
    let base: PageBase
    let problem: String?
    let report: Report?
}
