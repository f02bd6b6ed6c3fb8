import Foundation

/// What the results table shows: sort, filters, search and page, read from query parameters
/// so the table works without JavaScript.
public struct RowQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case row, id, probability, decision, score, status

        /// The SQL column; every one has an index starting with `batch_key`.
        package var column: String {
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
    /// Applicant ids containing this text (any case).
    public var search: String?
    /// Probability of default bounds, as fractions (the query gives percentages: `pmin=5`).
    public var minProbability: Double?
    public var maxProbability: Double?
    /// Score bounds, inclusive.
    public var minScore: Int?
    public var maxScore: Int?
    public var page = 1
    /// Uploaded columns shown beside the results (`col`, repeated), in the order chosen; the
    /// search also looks in them.
    public var columns: [ShownColumn] = []

    /// An uploaded column by name and its place in the file's header.
    public struct ShownColumn: Sendable, Equatable {
        public var name: String
        public var index: Int
    }

    /// At most this many uploaded columns are shown at once: beyond it the table is a
    /// spreadsheet, which the download already is.
    public static let maxColumns = 12

    /// Whether any filter (not sort or page) is set: the summary then describes fewer rows.
    public var isFiltered: Bool {
        decision != nil || state != nil || search != nil || minProbability != nil || maxProbability != nil || minScore != nil || maxScore != nil
    }

    public init() {}

    /// Reads `sort`, `dir`, `decision`, `status`, `q`, `pmin`/`pmax` (percent), `smin`/`smax`
    /// and `page`; unknown or unreadable values are ignored.
    public init(parameters: [String: String]) {
        if let sort = parameters["sort"].flatMap(Sort.init(rawValue:)) { self.sort = sort }
        descending = parameters["dir"] == "desc"
        if let d = parameters["decision"], ["approve", "review", "decline"].contains(d) { decision = d }
        if let s = parameters["status"], ["ok", "warning", "error"].contains(s) { state = s }
        if let q = parameters["q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty { search = String(q.prefix(100)) }
        if let p = parameters["page"].flatMap(Int.init), p >= 1, p < 1_000_000 { page = p }
        func percent(_ key: String) -> Double? {
            guard let text = parameters[key]?.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "."),
                  let value = Double(text), value.isFinite, (0...100).contains(value) else { return nil }
            return value / 100
        }
        minProbability = percent("pmin")
        maxProbability = percent("pmax")
        minScore = parameters["smin"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        maxScore = parameters["smax"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Shows the columns `names` of a file with `header`, in their order: unknown names and
    /// repeats are dropped, and so is `hidden` (the id column, which has a column of its own).
    public mutating func show(_ names: [String], header: [String], hidden: String?) {
        var seen: Set<String> = []
        columns = names.compactMap { name in
            guard name != hidden, seen.insert(name).inserted, let index = header.firstIndex(of: name) else { return nil }
            return ShownColumn(name: name, index: index)
        }
        columns = Array(columns.prefix(Self.maxColumns))
    }

    /// The query parameters that reproduce this query, with `changes` applied — all but the
    /// search: a search term may be an applicant's id or name, so it never goes into an address
    /// (a link, the address bar, an access log) or a saved view; pages carry it in a form's body.
    public func parameters(_ changes: (inout RowQuery) -> Void = { _ in }) -> [(String, String)] {
        var q = self
        changes(&q)
        var items: [(String, String)] = []
        if q.sort != .row { items.append(("sort", q.sort.rawValue)) }
        if q.descending { items.append(("dir", "desc")) }
        if let d = q.decision { items.append(("decision", d)) }
        if let s = q.state { items.append(("status", s)) }
        if let p = q.minProbability { items.append(("pmin", Self.percentText(p))) }
        if let p = q.maxProbability { items.append(("pmax", Self.percentText(p))) }
        if let s = q.minScore { items.append(("smin", String(s))) }
        if let s = q.maxScore { items.append(("smax", String(s))) }
        if q.page > 1 { items.append(("page", String(q.page))) }
        items += q.columns.map { ("col", $0.name) }
        return items
    }

    /// A fraction as the percentage a person typed: 0.05 → "5", 0.0525 → "5.25".
    package static func percentText(_ fraction: Double) -> String {
        let percent = (fraction * 100 * 1e6).rounded() / 1e6
        return percent == percent.rounded() ? String(Int(percent)) : String(percent)
    }
}
