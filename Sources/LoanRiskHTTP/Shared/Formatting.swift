import Foundation
import LoanRiskCore

/// How numbers appear on pages (CSV and JSON carry full precision; pages round for reading).
/// One format per kind of value, on every page, so the same kind never reads two ways:
///
/// | kind | function | example |
/// |---|---|---|
/// | probability (of default, bad rate) | `percent` | 4.21 % |
/// | share of applicants | `rate`, `share` | 14.0 % |
/// | count | `count` | 100,200 |
/// | expected count (a sum of probabilities) | `expected` | 5,702.2 |
/// | difference of probabilities | `points` | +1.23 points |
/// | statistic (PSI, ROC-AUC, Brier) | `statistic` | 0.123 |
/// | ratio (adverse impact) | `ratio` | 0.83 |
/// | score | `score` | 619 |
/// | an input's value (money, rates, months, labels) | `FeatureSpec.shown` | $51,000 · 12.99 % · under 1 year |
enum Formatting {
    /// A probability as a percentage with two decimals: 0.04213 → "4.21 %".
    static func percent(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "—" }
        return String(format: "%.2f %%", p * 100)
    }

    /// A share of a count: (7, 50) → "14.0 %".
    static func rate(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "—" : share(Double(part) / Double(whole))
    }

    /// A share given as a fraction: 0.348 → "34.8 %".
    static func share(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "—" }
        return String(format: "%.1f %%", fraction * 100)
    }

    /// A count that is a sum of probabilities (expected defaults), one decimal, thousands
    /// grouped as counts are: 5702.24 → "5,702.2".
    static func expected(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let tenths = Int((abs(value) * 10).rounded())
        return (value < 0 && tenths > 0 ? "-" : "") + count(tenths / 10) + "." + String(tenths % 10)
    }

    /// A difference of two probabilities in percentage points, signed: 0.0123 → "+1.23 points".
    static func points(_ difference: Double) -> String {
        String(format: "%+.2f points", difference * 100)
    }

    /// A statistic read to three decimals (PSI, ROC-AUC, Brier score, ECE): "0.123".
    static func statistic(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.3f", value)
    }

    /// A ratio of two rates (the adverse impact ratio), two decimals: "0.83".
    static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.2f", value)
    }

    /// A score, as a whole number without grouping (scores are read as labels): "619".
    static func score(_ value: Int?) -> String {
        value.map(String.init) ?? "—"
    }

    /// A training-range bound as people write it: whole numbers without decimals, others to four significant digits.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.4g", value)
    }

    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// A query string from pairs, percent-encoded.
    static func query(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        // "?" alone still replaces the current query, so a link to the defaults works.
        return "?" + (components.percentEncodedQuery ?? "")
    }
}
