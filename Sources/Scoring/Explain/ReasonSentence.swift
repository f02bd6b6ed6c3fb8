/// The wording of reason codes, in one place, so that every sentence reads alike and a
/// change of words is one edit. `ReasonFeature.reason` picks the sentence.
enum ReasonSentence {
    static let raisedRisk = "raised the estimated risk"

    /// "Interest rate of 24.5 % is high: higher than 90 % of past borrowers",
    /// "Revolving utilisation of 55 % raised the estimated risk"; for a feature the model is
    /// monotone in (`direction` +1 or -1), a typical value says which way the risk goes:
    /// "Annual income of $80,000 counted against the application: the higher it is, the lower the risk".
    static func number(_ phrase: String, _ shown: String, _ standing: ReasonReferenceBins.Standing, direction: Int = 0) -> String {
        switch standing {
        case .high(let percent):
            return "\(phrase) of \(shown) is high: higher than \(share(percent))"
        case .low(let percent):
            return "\(phrase) of \(shown) is low: lower than \(share(percent))"
        case .typical where direction > 0:
            return "\(phrase) of \(shown) counted against the application: the higher it is, the higher the risk"
        case .typical where direction < 0:
            return "\(phrase) of \(shown) counted against the application: the higher it is, the lower the risk"
        case .typical:
            return "\(phrase) of \(shown) \(raisedRisk)"
        }
    }

    /// "Loan sub-grade: E4, which is associated with a higher risk of default". The phrase
    /// names the input and the label says which, as on a form: "Income verified: no",
    /// "Housing: rented". Set side by side without the colon, a label that restates its input
    /// ("Income verification verified") or is a bare word ("Housing own") reads oddly.
    static func category(_ phrase: String, _ label: String) -> String {
        "\(phrase): \(label), which is associated with a higher risk of default"
    }

    /// "Annual income was not provided, which raised the estimated risk"; with `orWas`, the
    /// given labels that also count as missing ("Employment length was not provided (or was unknown), …").
    static func missing(_ phrase: String, orWas labels: String? = nil) -> String {
        let alternative = labels.map { " (or was \($0))" } ?? ""
        return "\(phrase) was not provided\(alternative), which \(raisedRisk)"
    }

    /// "Savings: unknown or none, which counts as not provided and raised the estimated risk".
    static func countsAsMissing(_ phrase: String, _ label: String) -> String {
        "\(phrase): \(label), which counts as not provided and \(raisedRisk)"
    }

    /// "Income verified: 'Pending' is not a category the model was trained on; treated as
    /// not provided, it raised the estimated risk". The applicant's own text, quoted.
    static func unseen(_ phrase: String, _ value: String) -> String {
        "\(phrase): '\(value)' is not a category the model was trained on; treated as not provided, it \(raisedRisk)"
    }

    /// "Loan amount relative to income could not be calculated (annual income is 0), which raised the estimated risk".
    static func notCalculated(_ phrase: String, because cause: String?) -> String {
        guard let cause else { return "\(phrase) could not be calculated from the values given, which \(raisedRisk)" }
        return "\(phrase) could not be calculated (\(cause)), which \(raisedRisk)"
    }

    /// "90 % of past borrowers", or "all past borrowers".
    static func share(_ percent: Int) -> String {
        percent >= 100 ? "all past borrowers" : "\(percent) % of past borrowers"
    }

    /// Several labels that share one model value: "'A' or 'B'"; one label as it is.
    static func alternatives(_ labels: [String]) -> String {
        labels.count == 1 ? labels[0] : labels.map { "'\($0)'" }.joined(separator: " or ")
    }

    /// "Annual income" → "annual income" inside a sentence; "DM balance" stays.
    static func lowercasedFirst(_ phrase: String) -> String {
        guard let first = phrase.first, first.isUppercase else { return phrase }
        let second = phrase.dropFirst().first
        if let second, second.isUppercase { return phrase }
        return first.lowercased() + phrase.dropFirst()
    }
}
