import Hummingbird
import LoanRiskCore
import Scoring

/// The analyst's form on a case the policy referred (a batch row's page, a form decision's
/// page): approve or decline with a note, the decision once made, and the queue the case was
/// opened from.
struct ReviewFormView: MustacheValues {
    struct Decided: MustacheValues {
        let decision: String
        let at: String
        let approve: Bool
        let decline: Bool
        /// Nil when the analyst left none.
        let note: String?
    }

    /// The review queue the case was opened from: deciding opens its next case.
    struct Queue: MustacheValues {
        /// `12 cases wait for a decision`.
        let waiting: String
        let link: String
    }

    let action: String
    let limit: Int
    /// Nil unless opened from the queue.
    let queue: Queue?
    let decided: Decided?
    /// Whether `decided` is set, for pages with a `decided` key of their own (a nil key is
    /// looked up outwards).
    let isDecided: Bool

    /// The longest note an analyst may leave with a decision.
    static let noteLimit = 2_000

    /// The form posting to `action` (the queue the request names carried along), with the
    /// decision already made on the case, if any.
    static func make(action: String, request: Request, decided: ReviewDecision?, reviews: ReviewStore, team: String) async throws -> ReviewFormView {
        var action = action
        var queue: Queue?
        if let scope = ReviewQueueScope(request) {
            action += (action.contains("?") ? "&" : "?") + scope.parameter
            let waiting = try await reviews.waiting(team: team)
            let count = scope.model.map { waiting[$0, default: 0] } ?? waiting.values.reduce(0, +)
            queue = Queue(waiting: count == 1 ? "1 case waits for a decision" : "\(Formatting.count(count)) cases wait for a decision", link: scope.pageLink)
        }
        return ReviewFormView(
            action: action, limit: noteLimit, queue: queue,
            decided: decided.map { d in
                Decided(
                    decision: d.decision, at: Formatting.timestamp(d.decidedAt), approve: d.decision == Decision.approve.rawValue,
                    decline: d.decision == Decision.decline.rawValue, note: d.note.isEmpty ? nil : d.note)
            },
            isDecided: decided != nil)
    }

    /// The decision and note a posted form gives for `what` (`row 3`, `this applicant`), or the
    /// error to answer.
    static func read(_ form: [String: String], for what: String) throws -> (decision: String, note: String) {
        guard let decision = form["decision"], [Decision.approve.rawValue, Decision.decline.rawValue].contains(decision) else {
            throw HTTPError(.unprocessableContent, message: "Choose approve or decline for \(what).")
        }
        let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= noteLimit else {
            throw HTTPError(.unprocessableContent, message: "The note is \(note.count) characters; keep it to \(noteLimit).")
        }
        return (decision, note)
    }
}
