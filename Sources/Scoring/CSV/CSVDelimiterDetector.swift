/// Picks the delimiter from the header line, as documented on `CSVReaderOptions.delimiter`.
///
/// The delimiter is not known yet, so a quote opens a quoted field when it starts the line
/// or follows any candidate (comma, semicolon, tab); delimiters inside quotes do not count.
struct CSVDelimiterDetector {
    private var semicolons = 0
    private var tabs = 0
    /// Set as soon as a comma is seen outside quotes: comma always wins.
    private(set) var decided: UInt8?

    /// The choice from what has been seen so far when no comma was found.
    var choice: UInt8 {
        if let decided { return decided }
        if semicolons > 0 && semicolons >= tabs { return CSVByte.semicolon }
        if tabs > 0 { return CSVByte.tab }
        return CSVByte.comma
    }

    /// Scans the first line in `p`; returns true when the line ended (or a comma decided it),
    /// false when more input is needed to see the whole line.
    mutating func scan(_ p: UnsafeBufferPointer<UInt8>, atEOF: Bool) -> Bool {
        var inQuotes = false
        var atFieldStart = true
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            i += 1
            if inQuotes {
                guard b == CSVByte.quote else { continue }
                if i < n && p[i] == CSVByte.quote {
                    i += 1  // doubled quote
                } else if i == n && !atEOF {
                    return false  // cannot tell yet whether the quote is doubled
                } else {
                    inQuotes = false
                }
                continue
            }
            switch b {
            case CSVByte.lineFeed, CSVByte.carriageReturn:
                return true
            case CSVByte.comma:
                decided = CSVByte.comma
                return true
            case CSVByte.semicolon:
                semicolons += 1
                atFieldStart = true
            case CSVByte.tab:
                tabs += 1
                atFieldStart = true
            case CSVByte.quote:
                inQuotes = atFieldStart
                atFieldStart = false
            default:
                atFieldStart = false
            }
        }
        return atEOF
    }
}
