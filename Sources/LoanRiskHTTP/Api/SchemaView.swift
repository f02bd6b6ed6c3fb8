import LoanRiskCore

/// A schema of the OpenAPI document as the docs page shows it (built by `SchemaReader`): a
/// table of its properties, nested objects and arrays flattened into paths
/// (`results[].reasons[].feature`), and the schema itself, `$ref`s resolved, as JSON.
/// (The template tests arrays with Mustache's `empty(…)`: it reads stored properties only.)
struct SchemaView {
    /// One property, or one parameter of an operation.
    struct Row {
        /// The property's path from the top (`model.name`, `errors[].field`), or the parameter's name.
        let name: String
        /// How deep the property is nested (0 at the top), for the indentation class `depth-N`.
        let depth: Int
        /// `path` or `query` for a parameter; empty for a property.
        let location: String
        let type: String
        let required: Bool
        let about: InlineText
        /// The allowed values (`enum`), each as JSON.
        let values: [String]
        /// Bounds, default, pattern and example, as `minimum 0 · default 4`.
        let notes: String
    }

    /// One shape the value may take: the schema itself, or one of its `oneOf` alternatives.
    struct Variant {
        /// Its type, with the component's name when it is one: `object (PredictionResult)`.
        let heading: String
        let about: InlineText
        let rows: [Row]
    }

    /// The `id` of the block on the page, which later uses of the same schema link to.
    let id: String
    let variants: [Variant]
    /// Several variants: the value is one of them.
    let isChoice: Bool
    /// The schema with every `$ref` resolved, pretty-printed; also what tells two schemas apart.
    let raw: String
    /// The JSON says more than the table and type already do (`{"type": "string"}` does not).
    let showsRaw: Bool

    /// Some variant has properties: a schema worth linking to rather than repeating.
    var hasRows: Bool { variants.contains { !$0.rows.isEmpty } }
}
