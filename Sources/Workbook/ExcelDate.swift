import Foundation

/// Excel's dates: a number of days (the fraction is the time of day) counted from the
/// workbook's epoch, shown as a date only by the cell's number format.
enum ExcelDate {
    /// ISO 8601 text for serial `days`: `2024-03-31` for a whole day, `2024-03-31T14:30:00` with a time.
    ///
    /// The 1900 system counts from 1899-12-31 as day 1 and keeps Lotus 1-2-3's 29 February
    /// 1900 (day 60), so from day 61 on the days count from 1899-12-30; the 1904 system
    /// (old Mac workbooks, `date1904`) counts from 1904-01-01 as day 0.
    static func iso(serial days: Double, date1904: Bool) -> String? {
        guard days.isFinite, days >= 0, days < 2_958_466 else { return nil }
        var whole = days.rounded(.down)
        var seconds = ((days - whole) * 86_400).rounded()
        if seconds >= 86_400 {
            whole += 1
            seconds -= 86_400
        }
        if !date1904 && whole == 60 { return seconds == 0 ? "1900-02-29" : nil }
        let offset: Double
        if date1904 {
            offset = -24_107  // 1904-01-01 is 24,107 days before 1970-01-01
        } else {
            offset = whole < 60 ? -25_568 : -25_569
        }
        let epochSeconds = (whole + offset) * 86_400
        let date = Date(timeIntervalSince1970: epochSeconds)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        var text = String(format: "%04d-%02d-%02d", year, month, day)
        if seconds > 0 {
            let s = Int(seconds)
            text += String(format: "T%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        }
        return text
    }

    /// Whether number format `id` (a built-in one, or a workbook's own `code`) shows a date or time.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) { return true }
        guard let code else { return false }
        // Outside quoted text, escapes and [colour] sections, any y, m, d, h or s makes a date.
        var quoted = false, escaped = false, bracket = false
        for c in code.lowercased() {
            if escaped { escaped = false; continue }
            switch c {
            case "\"": quoted.toggle()
            case "\\": escaped = true
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default: if !quoted && !bracket && "ymdhs".contains(c) { return true }
            }
        }
        return false
    }
}
