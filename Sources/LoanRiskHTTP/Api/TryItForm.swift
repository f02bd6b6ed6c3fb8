import LoanRiskCore
import LoanRiskStorage

/// The try-it form of one operation on `/docs`, built from the operation in the OpenAPI
/// document: an input per path and query parameter (path ones filled in), an editable body
/// holding the document's example, file inputs for a multipart body, and a token field for
/// the admin surface. `Public/docs.js` sends it with fetch and shows the answer; without
/// JavaScript its fieldset stays disabled, and the curl line beside it does the same.
struct TryItForm {
    /// A parameter's input: a select when the schema lists the values, else a text or number input.
    struct Field {
        let id: String
        let name: String
        /// `path` or `query`: docs.js puts a path value into the path, a query value (when not empty) into the query.
        let location: String
        let required: Bool
        let value: String
        let placeholder: String
        let inputType: String
        /// The values to choose from; none for a free input.
        let options: [Option]
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    /// One part of a multipart body.
    struct FileField {
        let id: String
        let name: String
        let accept: String
        let required: Bool
    }

    /// The operation's anchor; the form's element ids start with it.
    let id: String
    let method: String
    /// The path as the document writes it, with `{name}` placeholders.
    let path: String
    let fields: [Field]
    /// The operation needs the admin bearer token.
    let needsToken: Bool
    /// The JSON body's media type; empty without one.
    let mediaType: String
    let body: String
    /// The textarea's height: the body's lines, within reason (see `rows(_:)`).
    let bodyRows: Int
    let files: [FileField]

    static func rows(_ body: String) -> Int { min(18, max(3, body.split(separator: "\n").count)) }
}

extension TryItForm.Field {
    /// The input for `parameter` (an entry of an operation's `parameters`), filled with `value`.
    init(parameter: OpenAPI.Parameter, operation: String, value: String) throws {
        let schema = parameter.schema
        name = parameter.name
        location = parameter.location.rawValue
        id = "\(operation)-\(location)-\(name)"
        required = parameter.required
        self.value = value
        placeholder = try schema.defaultValue.map { "default \(try OpenAPI.json($0).compact)" } ?? ""
        let types = schema.type
        inputType = types == [.integer] || types == [.number] ? "number" : "text"
        var allowed = try (schema.allowedValues ?? []).map { try $0.string ?? OpenAPI.json($0).compact }
        if allowed.isEmpty, types == [.boolean] { allowed = ["true", "false"] }
        // An optional parameter may be left out: its select starts with "not sent".
        let unset = required ? [] : [TryItForm.Option(value: "", label: placeholder.isEmpty ? "(not sent)" : "(not sent: \(placeholder))", selected: value.isEmpty)]
        options = allowed.isEmpty ? [] : unset + allowed.map { TryItForm.Option(value: $0, label: $0, selected: $0 == value) }
    }
}
