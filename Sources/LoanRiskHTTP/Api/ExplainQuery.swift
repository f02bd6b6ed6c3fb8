import Hummingbird
import LoanRiskCore
import Scoring

/// What a predict request asks to have explained, read from its query string:
/// `?reasons=N` (0–10, default 4: the principal reasons an adverse-action notice gives;
/// 0 turns them off for callers who need raw speed) and `?contributions=true` (the full
/// TreeSHAP vector). Read here, once, so the JSON and CSV answers agree on the defaults.
enum ExplainQuery {
    /// The most reasons one result may carry (ten covers every feature a person would read).
    static let maximumReasons = 10

    /// Said once per answer (`reasons_unavailable`, or the CSV's `Reasons-Unavailable` header)
    /// when explanations were asked of a model that cannot give them.
    static let unavailable =
        "This model has linear-leaf trees, for which contributions are not defined (LightGBM refuses them too): no reasons or contributions are given."

    /// The options in `request`'s query; a value that cannot be read is a 400 naming the
    /// parameter and the value sent.
    static func options(_ request: Request) throws -> ExplainOptions {
        let query = request.uri.query ?? ""
        // Most calls send no query: skip parsing it on the hot path.
        guard !query.isEmpty else { return ExplainOptions(reasons: ExplainOptions.defaultReasonCount) }
        let parameters = request.uri.queryParameters
        return try options(reasons: parameters["reasons"].map(String.init), contributions: parameters["contributions"].map(String.init))
    }

    /// The options from the two parameters' raw text (nil when absent).
    static func options(reasons: String?, contributions: String?) throws -> ExplainOptions {
        var options = ExplainOptions(reasons: ExplainOptions.defaultReasonCount)
        if let reasons {
            guard let count = Int(reasons), (0...maximumReasons).contains(count) else {
                throw ProblemDetails(
                    status: .badRequest,
                    detail: "Query parameter 'reasons' must be a whole number from 0 to \(maximumReasons); got '\(reasons)'.")
            }
            options.reasons = count
        }
        if let contributions {
            switch contributions.lowercased() {
            case "true", "1": options.contributions = true
            case "false", "0": options.contributions = false
            default:
                throw ProblemDetails(
                    status: .badRequest, detail: "Query parameter 'contributions' must be true or false; got '\(contributions)'.")
            }
        }
        return options
    }
}
