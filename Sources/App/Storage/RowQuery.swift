import Foundation

/// What the results table shows: sort, filters, search and page, read from query parameters
/// so the table works without JavaScript.
public struct RowQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case row, id, probability, decision, score, status

        /// The SQL column; every one has an index starting with `batch_key`.
        var column: String {
            switch self {
            case .row: return "row_number"
            case .id: return "applicant_id"
            case .probability: return "probability"
            case .decision: return "decision"
            case .score: return "score"  // BatchStore sorts by probability instead (same order, indexed)
            case .status: return "state"
            }
        }
    }

    public static let pageSize = 50

    public var sort: Sort = .row
    public var descending = false
    /// approve, review or decline.
    public var decision: String?
    /// ok, warning or error.
    public var state: String?
    /// Applicant ids starting with this text.
    public var search: String?
    public var page = 1

    public init() {}

    /// Reads `sort`, `dir`, `decision`, `status`, `q` and `page`; unknown values are ignored.
    public init(parameters: [String: String]) {
        if let sort = parameters["sort"].flatMap(Sort.init(rawValue:)) { self.sort = sort }
        descending = parameters["dir"] == "desc"
        if let d = parameters["decision"], ["approve", "review", "decline"].contains(d) { decision = d }
        if let s = parameters["status"], ["ok", "warning", "error"].contains(s) { state = s }
        if let q = parameters["q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty { search = String(q.prefix(100)) }
        if let p = parameters["page"].flatMap(Int.init), p >= 1, p < 1_000_000 { page = p }
    }

    /// The query parameters that reproduce this query, with `changes` applied.
    public func parameters(_ changes: (inout RowQuery) -> Void = { _ in }) -> [(String, String)] {
        var q = self
        changes(&q)
        var items: [(String, String)] = []
        if q.sort != .row { items.append(("sort", q.sort.rawValue)) }
        if q.descending { items.append(("dir", "desc")) }
        if let d = q.decision { items.append(("decision", d)) }
        if let s = q.state { items.append(("status", s)) }
        if let s = q.search { items.append(("q", s)) }
        if q.page > 1 { items.append(("page", String(q.page))) }
        return items
    }
}

