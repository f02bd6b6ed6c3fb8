import LoanRiskCore

extension RowQuery {
    /// The view in words — its filters, sort and columns — for the printed report (which has no
    /// form to read them from) and the list of saved views. A search is mentioned, never quoted.
    var described: String {
        var parts: [String] = []
        if let decision { parts.append("decision \(decision)") }
        if let state { parts.append("status " + (["ok": "OK", "warning": "with warnings", "error": "invalid"][state] ?? state)) }
        if let text = Self.range(minProbability.map { Self.percentText($0) }, maxProbability.map { Self.percentText($0) }) {
            parts.append("probability of default \(text) %")
        }
        if let text = Self.range(minScore.map(String.init), maxScore.map(String.init)) { parts.append("score \(text)") }
        if search != nil { parts.append("a search (not printed)") }
        let filters = parts.isEmpty ? "All applicants" : "Only " + parts.joined(separator: ", ")
        let order: String
        switch sort {
        case .row: order = descending ? "last row first" : "in file order"
        case .id: order = "by applicant id" + (descending ? ", Z to A" : "")
        case .probability: order = "by probability of default, " + (descending ? "highest first" : "lowest first")
        case .decision: order = "by decision" + (descending ? ", decline first" : "")
        case .score: order = "by score, " + (descending ? "highest first" : "lowest first")
        case .status: order = "by status" + (descending ? ", reversed" : "")
        }
        let shown = columns.isEmpty ? "" : "; columns " + columns.map(\.name).joined(separator: ", ")
        return "\(filters), \(order)\(shown)."
    }

    private static func range(_ low: String?, _ high: String?) -> String? {
        switch (low, high) {
        case let (low?, high?): return "\(low)–\(high)"
        case let (low?, nil): return "at least \(low)"
        case let (nil, high?): return "at most \(high)"
        case (nil, nil): return nil
        }
    }
}
