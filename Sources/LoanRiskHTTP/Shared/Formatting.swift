import Foundation
import LoanRiskCore

/// How numbers appear on pages (CSV and JSON carry full precision; pages round for reading).
enum Formatting {
    /// A probability as a percentage with two decimals: 0.04213 → "4.21 %".
    static func percent(_ p: Double?) -> String {
        guard let p else { return "—" }
        return String(format: "%.2f %%", p * 100)
    }

    /// A share of a count: (7, 50) → "14.0 %".
    static func rate(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "—" : String(format: "%.1f %%", Double(part) / Double(whole) * 100)
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
