/// Whether an applicant gave enough to be decided automatically. Two rules, read from the
/// bundle's policy:
/// - **Key inputs** (`policy.key_inputs`): without any one of them no automatic approval is
///   possible. A tree model scores a missing value as whatever the training rows without it
///   looked like, and for lending-club a missing interest rate or sub-grade *lowers* the risk;
///   so an applicant missing one is still scored, but an approval is held for review, with
///   the reason ("Interest rate (int_rate) was not provided …").
/// - **Most inputs**: an applicant with fewer than half of the inputs usable is not scored at
///   all (an empty application, a row of blanks or `NA`): the score would describe the
///   training data's missing-value patterns, not the applicant.
/// A value that cannot be used (an unknown category, scored as missing) counts as not given.
public struct InputCompleteness: Sendable {
    /// Raw feature indices of the key inputs, in schema order.
    public let keyInputs: [Int]
    /// Fewer usable inputs than this make the row invalid.
    public let minimumProvided: Int
    private let names: [String]

    /// `keyInputs` are column names; each must be one of `schema`'s features.
    public init(schema: FeatureSchema, keyInputs: [String]) throws(BundleLoadError) {
        names = schema.requiredColumns
        var indices: [Int] = []
        for name in keyInputs {
            guard let index = names.firstIndex(of: name) else {
                throw BundleLoadError("bundle.json's policy.key_inputs names '\(name)', which is not one of the model's inputs (\(names.joined(separator: ", "))).")
            }
            if !indices.contains(index) { indices.append(index) }
        }
        self.keyInputs = indices.sorted()
        minimumProvided = (names.count + 1) / 2
    }

    /// No key inputs (a bare model.txt): only the most-inputs rule applies.
    public init(schema: FeatureSchema) {
        names = schema.requiredColumns
        keyInputs = []
        minimumProvided = (names.count + 1) / 2
    }

    /// Checks one encoded row: `values` are the raw features as the encoder read them (NaN
    /// where missing or unusable), `cells` the row's text for each key input (for the issue's
    /// value). Appends an error when too few inputs are usable, else a `missingKeyInput`
    /// warning per key input without a usable value. A row that already has an error is left alone.
    @inline(__always)
    public func check(_ values: UnsafePointer<Double>, issues: inout [FieldIssue], cell: (Int) -> String) {
        if issues.contains(where: { $0.severity == .error }) { return }
        var provided = 0
        for feature in 0..<names.count where !values[feature].isNaN { provided += 1 }
        if provided < minimumProvided {
            issues.append(tooFew(provided: provided, values))
            return
        }
        for feature in keyInputs where values[feature].isNaN {
            issues.append(missingKey(feature, cell: cell(feature)))
        }
    }

    private func tooFew(provided: Int, _ values: UnsafePointer<Double>) -> FieldIssue {
        let given = (0..<names.count).filter { !values[$0].isNaN }.map { names[$0] }
        let which = given.isEmpty
            ? "none of the \(names.count) inputs has a usable value"
            : "\(provided) of the \(names.count) inputs \(provided == 1 ? "has" : "have") a usable value (\(given.joined(separator: ", ")))"
        return FieldIssue(
            severity: .error, column: "", value: "",
            message: "Too few inputs to score: \(which); at least \(minimumProvided) are needed.")
    }

    private func missingKey(_ feature: Int, cell: String) -> FieldIssue {
        let name = names[feature]
        let given = MissingValue.isMissing(cell) ? "was not provided" : "has no usable value ('\(cell)')"
        return FieldIssue(
            severity: .warning, column: name, value: MissingValue.isMissing(cell) ? "" : cell,
            message: "'\(name)' \(given): an applicant without it is never approved automatically.",
            kind: .missingKeyInput)
    }
}
