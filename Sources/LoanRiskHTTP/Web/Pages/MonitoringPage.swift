import LoanRiskCore

/// `monitoring.mustache`: every model version that scored within the window's age, and the
/// drift events.
struct MonitoringPage: PageView {
    /// One model version's traffic and, when it has a reference, its window's drift.
    struct Version: MustacheValues {
        let name: String
        let version: String
        /// `champion`, `challenger`, or empty.
        let alias: String
        let requests: String
        let applicants: String
        let approveRate: String
        let reviewRate: String
        let declineRate: String
        /// `api 3 · batch 300`.
        let channels: String
        /// SVG sparklines, inserted raw.
        let requestsChart: String
        let applicantsChart: String
        /// Why drift is not measured (a bare model.txt); nil when it is.
        let noReference: String?
        /// Nil without a reference or without a stored window.
        let window: Window?
    }

    /// A version's traffic window measured against its training reference.
    struct Window: MustacheValues {
        struct Input: MustacheValues {
            /// The bundle's business name, shown first; nil when it has none.
            let phrase: String?
            let name: String
            let psi: String
            let band: String
            let missing: String
            let outside: String
            /// SVG: the input's PSI over time.
            let spark: String
        }

        let applicants: String
        let from: String
        let to: String
        /// Large enough to raise drift events.
        let judged: Bool
        let band: String
        /// Nil when the reference has no score distribution (then neither has the next two).
        let scorePSI: String?
        let scoreBand: String?
        /// SVG: the window's score distribution against training.
        let scoreChart: String?
        /// SVG: the score's PSI over time.
        let scoreSpark: String
        let inputs: [Input]
        /// Inputs not shown, past `MonitoringController.inputsShown`.
        let moreInputs: Int
    }

    /// A drift event and its webhook deliveries.
    struct Event: MustacheValues {
        struct Delivery: MustacheValues {
            let attempt: Int
            let at: String
            let delivered: Bool
            /// The HTTP status, or `no answer`.
            let status: String
            let error: String
        }

        let at: String
        let model: String
        let version: String
        let input: String
        let psi: String
        let band: String
        let windowApplicants: String
        /// The window's time span.
        let window: String
        let deliveries: [Delivery]
        let hasDeliveries: Bool
    }

    static let template = "monitoring"
    let base: PageBase
    /// The window's rule in words.
    let windowRule: String
    /// The fewest applicants a window needs to raise events.
    let minimum: String
    let versions: [Version]
    let hasVersions: Bool
    let events: [Event]
    let hasEvents: Bool
}
