import Hummingbird
import LoanRiskCore

/// The review queue a case was opened from (`?queue=all`, or `?queue=<model>` for one model's
/// cases): carried by the case's page into its form, so deciding opens the queue's next case.
struct ReviewQueueScope: Equatable {
    /// Nil: every model's cases.
    let model: String?

    static let all = "all"

    init(model: String?) {
        self.model = model
    }

    /// The scope a request names; nil when it names none.
    init?(_ request: Request) {
        guard let value = request.uri.queryParameters["queue"].map(String.init), !value.isEmpty else { return nil }
        model = value == Self.all ? nil : value
    }

    /// `queue=…`, already encoded, to add to an address's query.
    var parameter: String {
        String(Formatting.query([("queue", model ?? Self.all)]).dropFirst())
    }

    /// The queue's page.
    var pageLink: String {
        "/review" + (model.map { Formatting.query([("model", $0)]) } ?? "")
    }

    /// A case's page, opened from this queue.
    func caseLink(_ c: ReviewCase) -> String {
        switch c.channel {
        case .batch: return "/batches/\(c.requestID)/rows/\(c.rowNumber)?" + parameter
        case .form: return "/applicants/\(c.requestID)?" + parameter
        }
    }
}
