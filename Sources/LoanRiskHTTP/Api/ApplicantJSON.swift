import LoanRiskCore
import Scoring

/// Applicants as JSON objects (`ApplicantFields`), turned into the text cells the scorer
/// reads: a number given as a string is read like any CSV cell, `null` or an absent field is
/// missing. Fields the model does not know are ignored and reported.
struct ApplicantJSON {
    let schema: FeatureSchema

    struct Parsed {
        var cells: [[String: String]] = []
        var ids: [String?] = []
        var unknownFields: [[String]] = []
        /// Values that are not scalars: they refuse the request like any unreadable value.
        var problems: [ApplicantProblem] = []
    }

    /// Each applicant's fields are looked up by the schema's columns, in schema order (so a
    /// request's errors come in that order); only an object with fields beyond those is
    /// searched for the unknown ones — a request that sends just the model's inputs builds
    /// no set of names. An applicant's cells are its own scalars, less the id and the unknown
    /// fields: no second dictionary is made.
    func parse(_ applicants: [ApplicantFields]) -> Parsed {
        let columns = schema.requiredColumns
        var parsed = Parsed()
        parsed.cells.reserveCapacity(applicants.count)
        for (index, element) in applicants.enumerated() {
            guard case .object(var cells, let nested) = element else {
                parsed.problems.append(.init(applicant: index, field: "", value: nil, message: "Applicant \(index) must be a JSON object of field: value pairs."))
                parsed.cells.append([:]); parsed.ids.append(nil); parsed.unknownFields.append([])
                continue
            }
            var matched = 0
            for key in columns where key != schema.idColumn {
                if cells[key] != nil {
                    matched += 1
                } else if !nested.isEmpty, nested.contains(key) {
                    matched += 1
                    parsed.problems.append(.init(applicant: index, field: key, value: nil,
                                               message: "'\(key)' must be a number, a string or null, not an array or object."))
                }
            }
            let fieldCount = cells.count + nested.count
            var id: String?
            var hasID = false
            if let idColumn = schema.idColumn {
                id = cells.removeValue(forKey: idColumn)
                hasID = id != nil || (!nested.isEmpty && nested.contains(idColumn))
            }
            var unknown: [String] = []
            if fieldCount != matched + (hasID ? 1 : 0) {
                let known = Set(columns)
                unknown = (Array(cells.keys) + Array(nested)).filter { $0 != schema.idColumn && !known.contains($0) }.sorted()
                for key in unknown { cells.removeValue(forKey: key) }
            }
            parsed.cells.append(cells)
            parsed.ids.append(id)
            parsed.unknownFields.append(unknown)
        }
        return parsed
    }
}
