/// A categorical input read by its codes and by the words the form shows for them.
///
/// A file or a request may say `36 months` where the data said `term_36`: both are the same
/// category, and the words are read in any case (`36 MONTHS`). Codes are read exactly as the
/// model was trained on them — LightGBM takes `CITY_00` for an unseen category, not `city_00`,
/// and so does this (the golden tests hold it), unless the code is also its own words (`other`
/// shown as "other"). A word that spells another category's code, in any case, is not read as
/// a word, and a word two codes share is read as neither (either would be a guess).
extension FeatureSpec {
    /// Each category's words (`labels`), folded to lower case, with the category's position in
    /// `categories`. Built once per schema by `FeatureEncoder`, which looks here only when a
    /// cell is not exactly a code; empty for an integer-coded or a non-categorical input.
    public func categoryLookup() -> [String: Int] {
        guard kind == .categorical, integerCodes != true, let categories, let labels else { return [:] }
        var codes: [String: Int] = [:]
        for (index, code) in categories.enumerated() where codes[Self.folded(code)] == nil { codes[Self.folded(code)] = index }
        var lookup: [String: Int] = [:]
        var ambiguous: Set<String> = []
        for (index, code) in categories.enumerated() {
            guard let word = labels[code] else { continue }
            let folded = Self.folded(word)
            if let spelled = codes[folded], spelled != index { continue }
            if ambiguous.contains(folded) { continue }
            if let other = lookup[folded], other != index {
                lookup[folded] = nil
                ambiguous.insert(folded)
            } else {
                lookup[folded] = index
            }
        }
        return lookup
    }

    /// The category (its code, as `categories` spells it) a cell names, exactly by its code or
    /// by its words in any case; nil when it names none. For pages and messages: the encoder has its own lookup.
    public func category(for cell: String) -> String? {
        guard let categories else { return nil }
        let text = cell.trimmingCharacters(in: .whitespaces)
        if categories.contains(text) { return text }
        return categoryLookup()[Self.folded(text)].map { categories[$0] }
    }

    /// How spellings are compared: lower case, so `36 MONTHS` is `36 months`.
    static func folded(_ text: String) -> String {
        text.lowercased()
    }
}
