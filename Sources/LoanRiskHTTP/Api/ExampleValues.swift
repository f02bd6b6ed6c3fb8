import LoanRiskCore
import Scoring

/// What `/docs` fills an operation's path parameters with, in its try-it forms and curl
/// lines: the default model, its version, and the `challenger` alias — so that trying an
/// alias operation as shown can never move or clear the champion.
struct ExampleValues {
    let model: String
    let version: String

    init(defaultBundle bundle: ModelBundle) {
        model = bundle.name
        version = bundle.version
    }

    /// The value for one path parameter (an entry of an operation's `parameters`).
    func value(for parameter: OpenAPI.Parameter) -> String {
        switch parameter.name {
        case "name": return model
        case "version": return version
        case "alias": return "challenger"
        default: return parameter.schema.defaultValue?.string ?? ""
        }
    }
}
