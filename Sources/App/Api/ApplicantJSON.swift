import Scoring

/// Applicants as JSON objects, turned into the text cells the scorer reads: numbers and
/// strings as they are (a number given as a string is read like any CSV cell), `null` or an
/// absent field as missing. Fields the model does not know are ignored and reported.
struct ApplicantJSON {
    let schema: FeatureSchema

    struct Parsed {
        var cells: [[String: String]] = []
        var ids: [String?] = []
        var unknownFields: [[String]] = []
        var errors: [ProblemDetails.FieldError] = []
    }

    /// Each applicant's fields are looked up by the schema's columns, in schema order (so a
    /// request's errors come in that order); only an object with fields beyond those is
    /// searched for the unknown ones — a request that sends just the model's inputs builds
    /// no set of names.
    func parse(_ objects: [JSONValue]) -> Parsed {
        let columns = schema.requiredColumns
        var parsed = Parsed()
        for (index, element) in objects.enumerated() {
            guard case .object(let object) = element else {
                parsed.errors.append(.init(applicant: index, field: "", value: nil, message: "Applicant \(index) must be a JSON object of field: value pairs."))
                parsed.cells.append([:]); parsed.ids.append(nil); parsed.unknownFields.append([])
                continue
            }
            var cells: [String: String] = [:]
            cells.reserveCapacity(columns.count)
            var matched = 0
            for key in columns where key != schema.idColumn {
                guard let value = object[key] else { continue }
                matched += 1
                switch Self.text(value) {
                case .some(let text): cells[key] = text
                case .none:
                    parsed.errors.append(.init(applicant: index, field: key, value: nil,
                                               message: "'\(key)' must be a number, a string or null, not an array or object."))
                }
            }
            let id = schema.idColumn.flatMap { object[$0] }
            parsed.cells.append(cells)
            parsed.ids.append(id.flatMap { Self.text($0) })
            parsed.unknownFields.append(object.count == matched + (id == nil ? 0 : 1) ? [] : unknownFields(of: object))
        }
        return parsed
    }

    /// The fields of `object` that are neither a schema column nor the id column, sorted.
    private func unknownFields(of object: [String: JSONValue]) -> [String] {
        let known = Set(schema.requiredColumns)
        return object.keys.filter { $0 != schema.idColumn && !known.contains($0) }.sorted()
    }

    /// A JSON scalar as cell text (numbers exactly as written); nil for arrays and objects.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .null: return ""
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "1" : "0"
        case .object, .array: return nil
        }
    }
}
