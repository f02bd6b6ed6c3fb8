import Hummingbird
import LoanRiskCore

extension Request {
    /// The query's parameters by name (the first of repeated ones), as the pages read them.
    var queryValues: [String: String] {
        Dictionary(uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
    }
}
