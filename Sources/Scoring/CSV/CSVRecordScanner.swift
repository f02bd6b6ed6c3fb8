/// What scanning one record out of the read buffer gave.
enum CSVScanResult {
    /// A complete record. `next` is where the following record starts, `nextLine` its line
    /// number, and `blank` says the record was an empty line (one empty, unquoted field).
    case record(next: Int, nextLine: Int, blank: Bool)
    /// The buffer ends before the record does: read more input and scan again from the
    /// record's start. Scanning again is cheap because it happens once per buffer refill.
    case needMore
}

/// Finds the fields of one RFC 4180 record in a byte buffer.
///
/// The scanner only records where fields lie; the reader copies the record's bytes once and
/// unescapes doubled quotes afterwards, so the hot loop is a plain byte compare.
///
/// Leniency, on purpose: a quote inside an unquoted field (`5" disk`) is kept literally, as
/// Excel, Python's `csv` and most readers do — such files are common and unambiguous. A
/// quoted field followed by anything but a delimiter or line end (`"ab"c`) is ambiguous and
/// is a `CSVError.Kind.unexpectedQuote` error. Line ends are CRLF, LF, or a lone CR (old Mac
/// exports); each counts as one physical line.
struct CSVRecordScanner {
    let delimiter: UInt8
    let maxFieldBytes: Int
    /// The header's field count once known, to stop a runaway record early.
    let expectedFields: Int?

    /// Scans the record starting at `start` in `p`.
    ///
    /// Fills `spans` with field ranges relative to `start`, and `unescape` with the indices of
    /// fields that contain doubled quotes. `atEOF` says `p` holds the rest of the input.
    func scan(
        _ p: UnsafeBufferPointer<UInt8>, from start: Int, line startLine: Int, atEOF: Bool,
        spans: inout CSVSpanScratch, unescape: inout [Int]
    ) throws(CSVError) -> CSVScanResult {
        let end = p.count
        let delimiter = self.delimiter
        let limit = maxFieldBytes
        var i = start
        var line = startLine
        spans.removeAll()
        if !unescape.isEmpty { unescape.removeAll(keepingCapacity: true) }

        while true {
            let fieldStart = i
            let fieldLine = line
            if i < end && p[i] == CSVByte.quote {
                // Quoted field: runs to the next quote that is not doubled.
                i += 1
                let contentStart = i
                var doubled = 0
                while true {
                    while i < end {
                        let b = p[i]
                        if b == CSVByte.quote { break }
                        if b == CSVByte.lineFeed {
                            line += 1
                        } else if b == CSVByte.carriageReturn && (i + 1 == end || p[i + 1] != CSVByte.lineFeed) {
                            line += 1
                        }
                        i += 1
                    }
                    if i == end {
                        if atEOF { throw .unterminatedQuote(line: fieldLine, field: spans.count + 1) }
                        try checkPartial(fieldBytes: i - contentStart - doubled, fieldLine: fieldLine, fields: spans.count, line: startLine)
                        return .needMore
                    }
                    if i + 1 < end {
                        if p[i + 1] == CSVByte.quote {
                            doubled += 1
                            i += 2
                            continue
                        }
                    } else if !atEOF {
                        // Cannot tell a closing quote from the first of a doubled pair yet.
                        try checkPartial(fieldBytes: i - contentStart - doubled, fieldLine: fieldLine, fields: spans.count, line: startLine)
                        return .needMore
                    }
                    break
                }
                let contentEnd = i
                i += 1
                if contentEnd - contentStart - doubled > limit {
                    throw .fieldTooLong(line: fieldLine, field: spans.count + 1, limit: limit)
                }
                if doubled > 0 { unescape.append(spans.count) }
                spans.append(CSVFieldSpan(start: contentStart - start, end: contentEnd - start))
                // `i == end` here implies end of input: the other case returned `.needMore` above.
                if i == end { return .record(next: i, nextLine: line, blank: false) }
                let b = p[i]
                if b == delimiter {
                    i += 1
                    continue
                }
                if b == CSVByte.lineFeed || b == CSVByte.carriageReturn {
                    return recordEnd(p, at: i, line: line, atEOF: atEOF, blank: false)
                }
                throw .unexpectedQuote(line: line, field: spans.count, byte: b)
            } else {
                // Unquoted field: runs to the delimiter or line end; inner quotes are literal.
                while i < end {
                    let b = p[i]
                    if b == delimiter || b == CSVByte.lineFeed || b == CSVByte.carriageReturn { break }
                    i += 1
                }
                if i - fieldStart > limit {
                    throw .fieldTooLong(line: fieldLine, field: spans.count + 1, limit: limit)
                }
                if i == end && !atEOF {
                    try checkPartial(fieldBytes: 0, fieldLine: fieldLine, fields: spans.count, line: startLine)
                    return .needMore
                }
                spans.append(CSVFieldSpan(start: fieldStart - start, end: i - start))
                if i == end { return .record(next: i, nextLine: line, blank: false) }
                if p[i] == delimiter {
                    i += 1
                    continue
                }
                return recordEnd(p, at: i, line: line, atEOF: atEOF, blank: i == start)
            }
        }
    }

    /// The record ends with the CR or LF at `i`; a CR at the buffer's end may still be
    /// followed by an LF, so that case asks for more input.
    @inline(__always)
    private func recordEnd(
        _ p: UnsafeBufferPointer<UInt8>, at i: Int, line: Int, atEOF: Bool, blank: Bool
    ) -> CSVScanResult {
        if p[i] == CSVByte.lineFeed { return .record(next: i + 1, nextLine: line + 1, blank: blank) }
        if i + 1 < p.count {
            let next = p[i + 1] == CSVByte.lineFeed ? i + 2 : i + 1
            return .record(next: next, nextLine: line + 1, blank: blank)
        }
        return atEOF ? .record(next: i + 1, nextLine: line + 1, blank: blank) : .needMore
    }

    /// Before asking for more input, stops a record that is already known to be wrong, so a
    /// missing quote or a file without line ends cannot make the buffer grow without bound.
    private func checkPartial(fieldBytes: Int, fieldLine: Int, fields: Int, line: Int) throws(CSVError) {
        if fieldBytes > maxFieldBytes {
            throw .fieldTooLong(line: fieldLine, field: fields + 1, limit: maxFieldBytes)
        }
        if let expected = expectedFields, fields + 1 > expected {
            throw .raggedRow(line: line, expected: expected, found: fields + 1, atLeast: true, blank: false, delimiter: delimiter)
        }
    }
}
