/// A problem found while reading or writing CSV, as a value a caller can show to a person.
///
/// `message` is a complete sentence that names the line and says what to do about it, so a
/// command-line tool or a web page can print it as is; `kind` and `line` are there for code
/// (and tests) that need to tell the cases apart.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// A byte sequence that is not UTF-8 (typically a file saved as Windows-1252 or Latin-1).
        case invalidUTF8
        /// A quoted field whose closing quote never comes before the end of the input.
        case unterminatedQuote
        /// A record whose number of fields differs from the header's.
        case raggedRow(expected: Int, found: Int)
        /// A field longer than `CSVReaderOptions.maxFieldBytes`.
        case fieldTooLong(limit: Int)
        /// A character other than a delimiter or a line end right after a closing quote (`"ab"c`).
        case unexpectedQuote
        /// No header line at all: the input is empty or only blank lines.
        case empty
        /// The operating system failed to open, read or write the file.
        case io
    }

    /// What went wrong.
    public let kind: Kind
    /// 1-based physical line number where the problem is; 0 when it is not tied to a line
    /// (for example a file that cannot be opened, or a failed write).
    public let line: Int
    /// A full sentence for a person, starting with the line, e.g. "Line 17: row has 5 fields but the header has 6. …".
    public let message: String

    /// Creates an error; prefer the reader's and writer's own errors, whose messages are consistent.
    public init(kind: Kind, line: Int, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    public var description: String { message }
}

extension CSVError {
    static func invalidUTF8(line: Int, field: Int, byte: UInt8) -> CSVError {
        let hex = String(byte, radix: 16, uppercase: true)
        return CSVError(
            kind: .invalidUTF8, line: line,
            message: "Line \(line): field \(field) is not valid UTF-8 (byte 0x\(hex.count < 2 ? "0" + hex : hex)). "
                + "The file must be saved as UTF-8: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\", "
                + "in LibreOffice choose the \"Unicode (UTF-8)\" character set.")
    }

    static func unterminatedQuote(line: Int, field: Int) -> CSVError {
        CSVError(
            kind: .unterminatedQuote, line: line,
            message: "Line \(line): field \(field) starts with a quote (\") that is never closed before the end of the input. "
                + "Add the missing closing quote, or write a quote inside a quoted field as two quotes (\"\").")
    }

    static func raggedRow(line: Int, expected: Int, found: Int, atLeast: Bool, blank: Bool, delimiter: UInt8) -> CSVError {
        let foundText = (atLeast ? "at least " : "") + "\(found) field" + (found == 1 ? "" : "s")
        let hint: String
        if blank {
            hint = "The line is blank; remove it or fill in the values."
        } else {
            hint = "Every row needs one value per column; quote values that contain the delimiter \(delimiterName(delimiter))."
        }
        return CSVError(
            kind: .raggedRow(expected: expected, found: found), line: line,
            message: "Line \(line): row has \(foundText) but the header has \(expected). \(hint)")
    }

    static func fieldTooLong(line: Int, field: Int, limit: Int) -> CSVError {
        CSVError(
            kind: .fieldTooLong(limit: limit), line: line,
            message: "Line \(line): field \(field) is longer than the limit of \(limit) bytes. "
                + "This usually means a quote is missing; if the value is genuine, raise maxFieldBytes.")
    }

    static func unexpectedQuote(line: Int, field: Int, byte: UInt8) -> CSVError {
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
        return CSVError(
            kind: .unexpectedQuote, line: line,
            message: "Line \(line): field \(field) has \(shown) after its closing quote. "
                + "A quoted field must end right after its closing quote; write a quote inside a quoted field as two quotes (\"\").")
    }

    static var empty: CSVError {
        CSVError(
            kind: .empty, line: 1,
            message: "Line 1: the input is empty; expected a header line with the column names.")
    }

    static func io(line: Int, _ what: String) -> CSVError {
        CSVError(kind: .io, line: line, message: line > 0 ? "Line \(line): \(what)" : what)
    }

    static func delimiterName(_ byte: UInt8) -> String {
        switch byte {
        case CSVByte.comma: return "\",\" (comma)"
        case CSVByte.semicolon: return "\";\" (semicolon)"
        case CSVByte.tab: return "tab"
        default:
            return byte >= 0x20 && byte < 0x7F ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte \(byte)"
        }
    }
}
