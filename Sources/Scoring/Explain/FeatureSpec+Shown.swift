import Foundation

/// An input's value written for a person, the one way reasons write it, so that a page's
/// table of values, its warnings and its reasons never show one amount two ways
/// ("12000 USD" beside "$12,000").
extension FeatureSpec {
    /// A number in this input's unit: "$12,000", "24.5 %", "36 months", "5,000 DM".
    public func shown(_ value: Double) -> String {
        ReasonValueFormat.number(value, unit: unit)
    }

    /// A cell as given: a number in this input's unit, a category in the bundle's words
    /// ("under 1 year" for `emp_lt_1`, and for `EMP_LT_1` or `Under 1 Year`); text that is
    /// neither (a typo, an unknown label) as it was typed, since that is what the applicant or file said.
    public func shown(cell: String) -> String {
        let text = cell.trimmingCharacters(in: .whitespaces)
        if kind == .categorical { return words(for: category(for: text) ?? text) }
        return Self.number(text).map(shown) ?? text
    }

    /// `text` read as the encoder reads a number, with either decimal mark: a cell that was
    /// read at all was read with one of them, and no number reads differently under both
    /// (a comma is never a thousands separator).
    static func number(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { bytes in DecimalNumber.parse(bytes) ?? DecimalNumber.parse(bytes, mark: .comma) }
    }
}
