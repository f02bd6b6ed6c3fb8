/// A categorical input read by its codes and by the words the form shows for them.
///
/// A file or a request may say `36 months` where the data said `term_36`: both are the same
/// category, in any case. A code always wins over a word that happens to spell another code,
/// and a word two codes share is read as neither (it would be a guess).
extension FeatureSpec {
    /// Every accepted spelling of a category, folded to lower case, with the category's
    /// position in `categories`: the codes themselves, then the words of `labels`. Built once
    /// per schema by `FeatureEncoder`; empty for an integer-coded or a non-categorical input.
    public func categoryLookup() -> [String: Int] {
        guard kind == .categorical, integerCodes != true, let categories else { return [:] }
        var lookup: [String: Int] = [:]
        var codes: Set<String> = []
        for (index, code) in categories.enumerated() {
            let folded = Self.folded(code)
            codes.insert(folded)
            if lookup[folded] == nil { lookup[folded] = index }
        }
        var ambiguous: Set<String> = []
        for (index, code) in categories.enumerated() {
            guard let word = labels?[code] else { continue }
            let folded = Self.folded(word)
            if codes.contains(folded) || ambiguous.contains(folded) { continue }
            if let other = lookup[folded], other != index {
                lookup[folded] = nil
                ambiguous.insert(folded)
            } else {
                lookup[folded] = index
            }
        }
        return lookup
    }

    /// The category (its code, as `categories` spells it) a cell names by code or by word, in
    /// any case; nil when it names none. For pages and messages: the encoder has its own lookup.
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
