/// The sentences of reason codes. Each says what the applicant's value was and why it
/// counted against them, in words they can check and act on (Regulation B asks for the
/// specific reasons, not "internal standards"). Percentiles come from the bundle's training
/// bins and are rounded down, so they are always true of the training data.
extension ReasonFeature {
    /// The reason for this feature in one row. `value` is the feature's model value (NaN when
    /// missing), `row` the row's model values (to find the cause of a missing derived value)
    /// and `issues` the row's field issues (to tell an unseen category from a missing value).
    func reason(value: Double, contribution: Double, row: [Double], issues: [FieldIssue]) -> Reason {
        func make(_ kind: Reason.Kind, _ shown: String?, _ text: String) -> Reason {
            Reason(feature: name, columns: columns, phrase: phrase, value: shown, kind: kind, contribution: contribution, text: text)
        }
        if value.isNaN {
            if let unseen = unseenIssue(issues) {
                return make(.unseenCategory, unseen.value, ReasonSentence.unseen(phrase, unseen.value))
            }
            return missingReason(row: row, issues: issues, make: make)
        }
        switch display {
        case .number(let unit, let bins):
            let shown = ReasonValueFormat.number(value, unit: unit)
            return make(.value, shown, ReasonSentence.number(phrase, shown, bins?.standing(of: value) ?? .typical, direction: direction))
        case .categories(let labels):
            let label = Self.label(code: value, labels: labels)
            return make(.value, label, ReasonSentence.category(phrase, label))
        case .mapped(let byValue, let source, let sourceLabels, _):
            let label =
                source.flatMap { Self.knownLabel(row, $0, sourceLabels) }
                ?? byValue[value].map { ReasonSentence.alternatives($0) } ?? ReasonValueFormat.decimal(value)
            return make(.value, label, ReasonSentence.category(phrase, label))
        case .derived(_, _, let percent, let unit):
            let shown = percent ? ReasonValueFormat.percent(value) : ReasonValueFormat.number(value, unit: unit)
            return make(.value, shown, ReasonSentence.number(phrase, shown, .typical, direction: direction))
        }
    }

    /// A NaN that is not an unseen category: not given, given but without a place in a `map`,
    /// or a derived value that could not be calculated.
    private func missingReason(
        row: [Double], issues: [FieldIssue], make: (Reason.Kind, String?, String) -> Reason
    ) -> Reason {
        switch display {
        case .mapped(_, let source, let sourceLabels, let unmapped):
            if let source, let label = Self.knownLabel(row, source, sourceLabels) {
                return make(.value, label, ReasonSentence.countsAsMissing(phrase, label))
            }
            if source == nil, !unmapped.isEmpty {
                return make(.missing, nil, ReasonSentence.missing(phrase, orWas: ReasonSentence.alternatives(unmapped)))
            }
            return make(.missing, nil, ReasonSentence.missing(phrase))
        case .derived(let inputs, let isRatio, _, _):
            return make(.missing, nil, ReasonSentence.notCalculated(phrase, because: cause(inputs, isRatio, row, issues)))
        case .number, .categories:
            return make(.missing, nil, ReasonSentence.missing(phrase))
        }
    }

    /// Why a derived value is missing: an input that is missing, or a zero denominator.
    /// nil when the inputs are not model features (nothing certain to say).
    private func cause(_ inputs: [Input], _ isRatio: Bool, _ row: [Double], _ issues: [FieldIssue]) -> String? {
        for input in inputs {
            guard let i = input.modelIndex, row.indices.contains(i), row[i].isNaN else { continue }
            let name = ReasonSentence.lowercasedFirst(input.phrase)
            if !input.isRaw { return "\(name) could not be calculated" }
            if let issue = issues.first(where: { $0.column == input.column && $0.kind == .unseenCategory }) {
                return "\(name) '\(issue.value)' was not recognised"
            }
            return "\(name) was not provided"
        }
        if isRatio, let denominator = inputs.last, let i = denominator.modelIndex, row.indices.contains(i), row[i] == 0 {
            return "\(ReasonSentence.lowercasedFirst(denominator.phrase)) is 0"
        }
        return nil
    }

    /// The warning the encoder gave when it scored an unknown category of this feature's
    /// source as missing. Only categorical sources turn a given value into NaN with a warning
    /// (numbers that cannot be read are errors, and such rows are not explained).
    private func unseenIssue(_ issues: [FieldIssue]) -> FieldIssue? {
        switch display {
        case .categories, .mapped:
            return issues.first { $0.kind == .unseenCategory && columns.contains($0.column) }
        case .number, .derived:
            return nil
        }
    }

    /// The label of category code `code`; integer codes (no labels) as the number.
    private static func label(code: Double, labels: [String]?) -> String {
        if let labels, let i = Int(exactly: code), labels.indices.contains(i) { return labels[i] }
        return ReasonValueFormat.decimal(code)
    }

    /// The source label in `row[source]`, when that model value is a known code.
    private static func knownLabel(_ row: [Double], _ source: Int, _ labels: [String]) -> String? {
        guard row.indices.contains(source), let i = Int(exactly: row[source]), labels.indices.contains(i) else { return nil }
        return labels[i]
    }
}
