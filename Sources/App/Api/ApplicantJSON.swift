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

    func parse(_ objects: [JSONValue]) -> Parsed {
        let known = Set(schema.requiredColumns)
        var parsed = Parsed()
        for (index, element) in objects.enumerated() {
            guard case .object(let object) = element else {
                parsed.errors.append(.init(applicant: index, field: "", value: nil, message: "Applicant \(index) must be a JSON object of field: value pairs."))
                parsed.cells.append([:]); parsed.ids.append(nil); parsed.unknownFields.append([])
                continue
            }
            var cells: [String: String] = [:]
            var unknown: [String] = []
            for (key, value) in object {
                if key == schema.idColumn { continue }
                guard known.contains(key) else { unknown.append(key); continue }
                switch Self.text(value) {
                case .some(let text): cells[key] = text
                case .none:
                    parsed.errors.append(.init(applicant: index, field: key, value: nil,
                                               message: "'\(key)' must be a number, a string or null, not an array or object."))
                }
            }
            parsed.cells.append(cells)
            parsed.ids.append(schema.idColumn.flatMap { object[$0] }.flatMap { Self.text($0) })
            parsed.unknownFields.append(unknown.sorted())
        }
        return parsed
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
