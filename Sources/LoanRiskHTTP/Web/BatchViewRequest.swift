import Hummingbird
import LoanRiskCore

/// The view of a batch a request asks for, and where each part travels. The sort, filters,
/// page and columns ride in the address (`?decision=decline&col=int_rate`), so a link is the
/// view. The search term rides only in a POSTed form's body — the filter form without script,
/// the page's script as the analyst types, the download of a searched view — because it may
/// be an applicant's id or name, which must never reach an address, the history or an access
/// log. A `q` in an address is ignored.
struct BatchViewRequest {
    /// The view's parameters but the search, in their order (`col` repeats).
    var parameters: [(String, String)]
    /// The search term, trimmed; nil when there is none.
    var search: String?

    /// A GET: the address's parameters, less any `q`.
    init(address request: Request) {
        parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }.filter { $0.0 != "q" }
        search = nil
    }

    /// A POST: the address's parameters, each replaced by the form's of the same name (the
    /// filter form sent without script holds every field of the view), and the form's search.
    /// The form's CSRF token must match the browser's, as every form of the pages.
    static func posted(_ request: Request, context: AppRequestContext) async throws -> BatchViewRequest {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let form = FormBody.pairs(String(buffer: buffer))
        try CSRF.check(form.last { $0.0 == "csrf" }?.1, context: context)
        var view = BatchViewRequest(address: request)
        let posted = form.filter { $0.0 != "csrf" && $0.0 != "q" }
        let names = Set(posted.map(\.0))
        let columnsPosted = names.contains("col") || names.contains(ShownColumnsChoice.formMarker)
        func isColumn(_ name: String) -> Bool { name == "col" || name == ShownColumnsChoice.formMarker }
        view.parameters = view.parameters.filter { !names.contains($0.0) && !(columnsPosted && isColumn($0.0)) } + posted
        if let q = form.last(where: { $0.0 == "q" })?.1.trimmingCharacters(in: .whitespacesAndNewlines), !q.isEmpty {
            view.search = String(q.prefix(100))
        }
        return view
    }

    /// The parameters worth putting in an address: those with a value.
    var address: String {
        Formatting.query(parameters.filter { !$0.1.isEmpty })
    }

    /// The table's query for `batch`: the parameters, the search, and the columns shown (the
    /// parameters', else those remembered for the model in the request's cookie).
    func query(batch: BatchSummary, request: Request) -> (query: RowQuery, columns: ShownColumnsChoice) {
        var query = RowQuery(parameters: Dictionary(parameters, uniquingKeysWith: { first, _ in first }))
        query.search = search
        let choice = ShownColumnsChoice(parameters: parameters, cookies: request.cookies, model: batch.modelName)
        query.show(choice.names, header: batch.header, hidden: batch.idColumn)
        return (query, choice)
    }
}

extension FormBody {
    /// An `application/x-www-form-urlencoded` body as its pairs, in order, repeats kept.
    static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            guard let key = parts.first else { return nil }
            return (decode(key), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
