import LoanRiskCore
import LoanRiskHTTP

extension AdminToken {
    /// `label:token,label:token`, or one token without a label.
    static func parse(_ text: String) throws(ConfigurationError) -> [AdminToken] {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if entries.count == 1, !entries[0].contains(":") { return [AdminToken(label: "admin", secret: entries[0])] }
        return try entries.map { entry throws(ConfigurationError) in
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, ModelName.isValid(parts[0]), parts[1].count >= 16 else {
                throw ConfigurationError("ADMIN_TOKEN: each entry must be label:token, the label letters, digits, '-', '_' or '.', the token at least 16 characters.")
            }
            return AdminToken(label: parts[0], secret: parts[1])
        }
    }
}
