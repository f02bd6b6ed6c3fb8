/// Encodes fields per RFC 4180 into a byte buffer, neutralising spreadsheet formula injection.
///
/// Quoting: a field containing a comma, quote, CR or LF is enclosed in quotes, with inner
/// quotes doubled; other fields are written as they are.
///
/// Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
/// formula (and tab or CR can hide such a start), so a text field beginning with one of
/// these is written with a leading apostrophe, which spreadsheets take as "this is text".
/// Plain numbers (`-5`, `+3.25`, `-1e-36`, see `isPlainNumber`) are left alone so that
/// numbers stay numbers. Reading such a file back gives the apostrophe as part of the text.
public enum CSVEncoder {
    /// Appends one field, quoted and neutralised as needed.
    public static func appendField(_ field: String, to buffer: inout [UInt8]) {
        let done: Void? = field.utf8.withContiguousStorageIfAvailable { appendField(bytes: $0, to: &buffer) }
        if done == nil {
            var copy = field
            copy.withUTF8 { appendField(bytes: $0, to: &buffer) }
        }
    }

    /// Appends one field given as UTF-8 bytes (e.g. straight from `CSVRecord.withFieldBytes`),
    /// quoted when it holds `delimiter` (a comma unless a file of another dialect is written),
    /// a quote or a line end.
    public static func appendField(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = 0x2C, to buffer: inout [UInt8]) {
        guard let first = bytes.first else { return }
        let neutralise = startsLikeFormula(first) && !isPlainNumber(bytes)
        var needsQuotes = false
        for b in bytes where b == delimiter || b == CSVByte.quote || b == CSVByte.lineFeed || b == CSVByte.carriageReturn {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            if neutralise { buffer.append(CSVByte.apostrophe) }
            buffer.append(contentsOf: bytes)
            return
        }
        buffer.append(CSVByte.quote)
        if neutralise { buffer.append(CSVByte.apostrophe) }
        var segmentStart = 0
        for i in bytes.indices where bytes[i] == CSVByte.quote {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart...i]))
            buffer.append(CSVByte.quote)
            segmentStart = i + 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart...]))
        buffer.append(CSVByte.quote)
    }

    /// Appends a number: shortest round-trip repr, same digits as Swift's `"\(value)"` for
    /// finite values (`1.0`, `0.1`, `1e-36`); NaN → empty field (a missing value);
    /// infinities as `inf` / `-inf`, which `Double(_:)` reads back.
    ///
    /// Numbers are never prefixed: `-5.0` must stay a number in a spreadsheet.
    public static func appendNumber(_ value: Double, to buffer: inout [UInt8]) {
        guard !value.isNaN else { return }
        var sink = CSVNumberSink()
        swap(&sink.bytes, &buffer)
        value.write(to: &sink)
        swap(&sink.bytes, &buffer)
    }

    /// Appends the field separator `,`.
    public static func appendDelimiter(to buffer: inout [UInt8]) {
        buffer.append(CSVByte.comma)
    }

    /// Appends the record end `\r\n` (RFC 4180).
    public static func appendRecordEnd(to buffer: inout [UInt8]) {
        buffer.append(CSVByte.carriageReturn)
        buffer.append(CSVByte.lineFeed)
    }

    /// Appends a whole record and its line end.
    ///
    /// A record of one empty field is written as `""`: a bare empty line would be read back
    /// as a blank line, which readers skip at the end of a file.
    public static func appendRecord(_ fields: [String], to buffer: inout [UInt8]) {
        if fields.count == 1 && fields[0].isEmpty {
            buffer.append(CSVByte.quote)
            buffer.append(CSVByte.quote)
        } else {
            for (index, field) in fields.enumerated() {
                if index > 0 { appendDelimiter(to: &buffer) }
                appendField(field, to: &buffer)
            }
        }
        appendRecordEnd(to: &buffer)
    }

    /// Whether a cell starting with `byte` could be taken for a formula by a spreadsheet.
    @inline(__always)
    static func startsLikeFormula(_ byte: UInt8) -> Bool {
        byte == CSVByte.equals || byte == CSVByte.plus || byte == CSVByte.minus || byte == CSVByte.at
            || byte == CSVByte.tab || byte == CSVByte.carriageReturn
    }

    /// Whether `bytes` is exactly a decimal number: an optional sign, digits with at most one
    /// decimal point (at least one digit), and an optional exponent `e`/`E`, optional sign,
    /// digits. No spaces, no thousands separators, no `inf`/`nan`, no hex — anything looser
    /// could let a formula through.
    static func isPlainNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        if i < n && (bytes[i] == CSVByte.plus || bytes[i] == CSVByte.minus) { i += 1 }
        var digits = 0
        while i < n && isDigit(bytes[i]) {
            i += 1
            digits += 1
        }
        if i < n && bytes[i] == CSVByte.dot {
            i += 1
            while i < n && isDigit(bytes[i]) {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return false }
        if i < n && (bytes[i] == CSVByte.lowerE || bytes[i] == CSVByte.upperE) {
            i += 1
            if i < n && (bytes[i] == CSVByte.plus || bytes[i] == CSVByte.minus) { i += 1 }
            var exponentDigits = 0
            while i < n && isDigit(bytes[i]) {
                i += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return false }
        }
        return i == n
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool {
        b >= CSVByte.zero && b <= CSVByte.nine
    }
}

/// Collects the characters of a number straight into a byte buffer.
///
/// `_writeASCII` is the standard library's (underscored) fast path that floating-point
/// `write(to:)` uses to hand over its digits without making a `String`. Should it ever go
/// away, `write(_:)` still receives the same text and only speed is lost.
struct CSVNumberSink: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }
}
