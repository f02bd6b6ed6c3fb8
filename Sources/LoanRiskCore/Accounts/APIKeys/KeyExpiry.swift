import Foundation

/// A key's expiry as people write it: an ISO 8601 time, or a date (the key then works through
/// that whole day, UTC).
package enum KeyExpiry {
    package static func parse(_ text: String?) throws(APIKeyError) -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        if let day = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return day.addingTimeInterval(86_400) }
        throw .invalid("expires_at: '\(text.prefix(40))' is not a date (2027-06-30) or an ISO 8601 time.")
    }
}
