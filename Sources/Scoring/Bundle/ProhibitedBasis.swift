/// The prohibited bases of a credit decision (ECOA, Regulation B §1002.6) as they show in
/// column names, for models that do not say what their inputs are: a bare `model.txt` whose
/// input is called `sex` or `foreign_worker` loads, but with a warning on its model card and
/// in every answer, since a lender could not lawfully use it. A bundle declares its
/// protected columns instead (`protected_inputs`), and one whose model reads them is refused.
public enum ProhibitedBasis {
    /// Words of a column name, and the basis each suggests.
    static let words: [String: String] = [
        "sex": "sex", "gender": "sex", "female": "sex", "male": "sex",
        "race": "race", "racial": "race", "ethnic": "race or national origin", "ethnicity": "race or national origin",
        "color": "color", "colour": "color",
        "religion": "religion", "religious": "religion",
        "marital": "marital status", "married": "marital status", "spouse": "marital status",
        "nationality": "national origin", "foreign": "national origin", "citizenship": "national origin",
        "immigrant": "national origin",
    ]

    /// The basis `name` looks like, or nil: `personal_status_and_sex` → "sex",
    /// `ForeignWorker` → "national origin". Matched by whole words (split at anything not a
    /// letter and at lower-to-upper case changes), so `trace_count` is not "race".
    public static func basis(ofColumn name: String) -> String? {
        let split = Self.splitWords(name)
        if let basis = split.lazy.compactMap({ words[$0] }).first { return basis }
        return split.contains("national") && split.contains("origin") ? "national origin" : nil
    }

    /// One warning per input whose name looks like a prohibited basis.
    public static func warnings(forInputs names: [String]) -> [String] {
        names.compactMap { name in
            basis(ofColumn: name).map {
                "Input '\(name)' looks like a prohibited basis of a credit decision (\($0); ECOA / Regulation B §1002.6). "
                    + "A lender may not use a model that relies on it: retrain without it, or build a bundle that declares it protected."
            }
        }
    }

    static func splitWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in name {
            guard character.isLetter else {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
                previousWasLower = false
                continue
            }
            if character.isUppercase, previousWasLower, !current.isEmpty {
                words.append(current.lowercased())
                current = ""
            }
            current.append(character)
            previousWasLower = character.isLowercase
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }
}

extension ModelBundle {
    /// The warning for a field the model does not read: a protected column says so, since
    /// an analyst who sent it should know it played no part in the decision.
    public func ignoredFieldWarning(_ name: String) -> String {
        if let input = manifest?.protectedInputs?.first(where: { $0.name == name }) {
            return "'\(name)' is a protected attribute (\(input.basis)); it was not used in the decision."
        }
        return "'\(name)' is not an input of this model and was ignored."
    }
}
