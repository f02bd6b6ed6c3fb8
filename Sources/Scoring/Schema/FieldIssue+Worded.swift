/// An issue worded for a person reading a page (a row of a batch, a single applicant's
/// result): the input by the bundle's phrase with its column's name once, in parentheses, so
/// an analyst can find the column in the file, and numbers in the input's unit, written as the
/// reasons write them:
/// "Number of active instalment accounts (open_il_6m): 300 is above the highest value seen in training (30)."
/// `message` stays as it is, naming the raw column: the results file's status column and the
/// API carry it, and programs read them.
extension FieldIssue {
    /// `message(for:)` with the column's spec from `schema`; `message` when it has none.
    public func message(in schema: FeatureSchema) -> String {
        guard let spec = schema.features.first(where: { $0.name == column }) else { return message }
        return message(for: spec)
    }

    /// This issue about `spec`'s column, in `spec`'s words.
    public func message(for spec: FeatureSpec) -> String {
        // A hold speaks of the whole file and names the inputs itself.
        if kind == .heldForDrift { return message }
        let subject = Self.subject(spec)
        switch detail {
        case .belowTraining(let low):
            return "\(subject): \(spec.shown(cell: value)) is below the lowest value seen in training (\(spec.shown(low)))."
        case .aboveTraining(let high):
            return "\(subject): \(spec.shown(cell: value)) is above the highest value seen in training (\(spec.shown(high)))."
        case .unknownLabel(let known):
            return "\(subject): '\(value)' is not a known category (known: \(Self.list(known))); it was scored as missing."
        case .unknownCode(let known):
            return "\(subject): \(value) is not a code seen in training (\(Self.list(known)))."
        case .sentence(let sentence):
            return Self.worded(sentence, about: spec)
        }
    }

    /// One of the encoder's sentences about `spec`'s column in `spec`'s words: they open with
    /// the quoted column ("'funded_amnt' must be a whole number"), which becomes the subject
    /// ("Loan amount (funded_amnt) must be a whole number"); any other sentence is put after it.
    public static func worded(_ sentence: String, about spec: FeatureSpec) -> String {
        let quoted = "'\(spec.name)' "
        guard sentence.hasPrefix(quoted) else { return "\(subject(spec)): \(sentence)" }
        return "\(subject(spec)) \(sentence.dropFirst(quoted.count))"
    }

    /// "Interest rate (int_rate)"; the phrase alone when it is the column's name ("Age"),
    /// the name alone when there is no phrase.
    public static func subject(_ spec: FeatureSpec) -> String {
        guard let phrase = spec.phrase, !phrase.isEmpty else { return spec.name }
        return phrase.lowercased() == spec.name.lowercased() ? phrase : "\(phrase) (\(spec.name))"
    }
}
