import Foundation

/// How a value is written in a reason sentence, for a person rather than a parser: whole
/// numbers without a fraction, thousands grouped, the bundle's unit applied ("24.5 %",
/// "$17,000", "36 months"). Always the same digits whatever the machine's locale, so a
/// results file does not depend on where it was written.
enum ReasonValueFormat {
    /// `value` with `unit` from bundle.json: `%` after the number with a space, `USD` as a
    /// dollar sign before it, anything else as a word after it (singular for exactly 1).
    static func number(_ value: Double, unit: String?) -> String {
        let text = decimal(value)
        switch unit {
        case nil, "":
            return text
        case "%":
            return text + " %"
        case "USD":
            return value < 0 ? "-$" + decimal(-value) : "$" + text
        case let unit?:
            return text + " " + (value == 1 ? singular(unit) : unit)
        }
    }

    /// A share (0.348) as a percentage with at most one decimal ("34.8 %").
    static func percent(_ share: Double) -> String {
        decimal(share * 100, fractionDigits: 1) + " %"
    }

    /// `value` with at most `fractionDigits` decimals, trailing zeros dropped, thousands
    /// grouped with commas. Values smaller than the last digit shown keep two significant
    /// digits instead of becoming 0 ("0.0042").
    static func decimal(_ value: Double, fractionDigits: Int = 2) -> String {
        guard value.isFinite else { return value.isNaN ? "not a number" : (value < 0 ? "-∞" : "∞") }
        var digits = fractionDigits
        let magnitude = abs(value)
        if magnitude > 0, magnitude < 1 {
            // Leading zeros after the point, plus two significant digits, at most 8 places.
            let leadingZeros = Int((-log10(magnitude)).rounded(.down))
            digits = min(8, max(digits, leadingZeros + 2))
        }
        let (whole, fraction) = fixedPoint(magnitude, digits: digits)
        let text = fraction.isEmpty ? grouped(whole) : grouped(whole) + "." + fraction
        let isZero = text.allSatisfy { $0 == "0" || $0 == "." || $0 == "," }
        return value < 0 && !isZero ? "-" + text : text
    }

    /// `magnitude` (≥ 0) rounded to `digits` decimals (at most 8): the whole part's digits and
    /// the fraction's without trailing zeros. Integer arithmetic while the scaled value is
    /// exact in a double (it always is for amounts people write); printf beyond that.
    /// Reasons are written for every applicant, and Foundation's formatting was half their cost.
    private static func fixedPoint(_ magnitude: Double, digits: Int) -> (whole: String, fraction: String) {
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (magnitude * Double(scale)).rounded(.toNearestOrEven)
        guard scaled < 9_007_199_254_740_992 else {
            let parts = String(format: "%.\(digits)f", magnitude).split(separator: ".", omittingEmptySubsequences: false)
            var fraction = parts.count > 1 ? String(parts[1]) : ""
            while fraction.last == "0" { fraction.removeLast() }
            return (String(parts[0]), fraction)
        }
        let units = UInt64(scaled)
        var fractionValue = units % scale
        var fractionDigits = digits
        while fractionDigits > 0, fractionValue % 10 == 0 {
            fractionValue /= 10
            fractionDigits -= 1
        }
        guard fractionDigits > 0 else { return (String(units / scale), "") }
        let text = String(fractionValue)
        return (String(units / scale), String(repeating: "0", count: fractionDigits - text.count) + text)
    }

    /// "1234567" → "1,234,567".
    private static func grouped(_ digits: String) -> String {
        guard digits.count > 3 else { return digits }
        var result = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { result.append(",") }
            result.append(ch)
        }
        return result
    }

    /// "months" → "month" for a value of exactly 1; units that are not plain plural words
    /// ("DM", "kg", and "times", a multiple rather than a noun) stay as they are.
    private static func singular(_ unit: String) -> String {
        guard unit.count > 2, unit != "times", unit.hasSuffix("s"), unit.allSatisfy({ $0.isLowercase }) else { return unit }
        return String(unit.dropLast())
    }
}
