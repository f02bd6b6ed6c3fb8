import LoanRiskCore

/// A CommonMark description from the OpenAPI document as the docs page shows it: code spans
/// (`` `…` ``) become `<code>`, the rest stays text, and the template escapes both. (The
/// document's descriptions use no other markup.)
struct InlineText: Equatable {
    /// A run of text, and whether it was a code span.
    struct Segment: Equatable {
        let text: String
        let code: Bool
    }

    let segments: [Segment]

    /// The text as written in the document, to compare descriptions.
    let source: String

    init(_ source: String) {
        self.source = source
        // Backticks alternate text and code; an unmatched last one is kept as text.
        let parts = source.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        let paired = parts.count % 2 == 1
        segments = parts.enumerated().compactMap { index, part in
            let code = index % 2 == 1 && (paired || index < parts.count - 1)
            let text = code || paired || index < parts.count - 1 ? part : "`" + part
            return text.isEmpty ? nil : Segment(text: text, code: code)
        }
    }

}
