extension BundleDraft {
    /// What the analyst should look at before registering the bundle, one sentence each:
    /// labels the model does not know, model labels LoanRisk reads as missing, empty inputs, the id column, missing outcomes, and
    /// inputs that look like a prohibited basis.
    static func notes(
        features: [FeatureSpec], sample: BundleDraftSample, idColumn: String?, idGiven: Bool, measured: Bool, model: any ScoringModel
    ) -> [String] {
        var notes: [String] = []
        for (feature, labels) in sample.unknownLabels.sorted(by: { $0.key < $1.key }) {
            let shown = labels.prefix(5).map { "'\($0.label)' (\($0.rows) row\($0.rows > 1 ? "s" : ""), first row \($0.firstRow))" }
            notes.append("'\(features[feature].name)': \(shown.joined(separator: ", "))\(labels.count > 5 ? " and \(labels.count - 5) more" : "") "
                + "\(labels.count > 1 ? "are labels" : "is a label") the model does not know, read as unseen. Check the spelling against the model's labels.")
        }
        for spec in features {
            let unsendable = (spec.categories ?? []).filter { MissingValue.isMissing($0) }
            guard !unsendable.isEmpty else { continue }
            notes.append("'\(spec.name)': the model's label\(unsendable.count > 1 ? "s" : "") \(unsendable.map { "'\($0)'" }.joined(separator: ", ")) "
                + "\(unsendable.count > 1 ? "read" : "reads") as a missing value in LoanRisk (as blank, NA, N/A, NaN, null and None do), so no applicant "
                + "can send \(unsendable.count > 1 ? "them" : "it"): such rows are scored as missing. Rename the label in the training data "
                + "(as the bundled german-credit recipe does) and train the model again.")
        }
        for (feature, spec) in features.enumerated() where sample.values[feature].allSatisfy(\.isNaN) {
            notes.append("'\(spec.name)' is empty in every sample row: it has no range, example or drift reference to speak of.")
        }
        notes.append(idColumn.map { "Applicants are identified by '\($0)'\(idGiven ? "" : " (detected: unique in every row)")." }
            ?? "No id column: none was given and no column other than the inputs is unique in every row (--id-column names one).")
        if !measured {
            notes.append("No outcomes (--target, --positive): the bundle records no measure of the model's accuracy.")
        }
        return notes + ProhibitedBasis.warnings(forInputs: model.featureNames)
    }
}
