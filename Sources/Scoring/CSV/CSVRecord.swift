/// A record whose storage is reused between reads (no per-row allocation in steady state).
///
/// `CSVReader.read(into:)` overwrites the record in place: pass the same variable in a loop
/// and, once its buffers have grown to the widest row, reading allocates nothing. Fields are
/// kept as validated UTF-8 bytes; a `String` is made only when one is asked for.
public struct CSVRecord: Sendable {
    /// The record's bytes, with each quoted field already unescaped in place.
    @usableFromInline var bytes: [UInt8] = []
    /// Where each field lies in `bytes`.
    @usableFromInline var spans: [CSVFieldSpan] = []
    /// Backing store of `line`.
    var startLine = 0
    /// Set when the line had another field count than the header and the reader fitted it
    /// (`CSVReaderOptions.RaggedRecords.fit`); nil for a record that fit as it was.
    public internal(set) var misfit: Misfit?

    /// A line whose field count differed from the header's, as it was sent.
    public struct Misfit: Sendable, Equatable {
        /// The fields the line had (1 for a blank line).
        public let found: Int
        /// The header's.
        public let expected: Int
        /// Whether the line was blank.
        public let blank: Bool

        public init(found: Int, expected: Int, blank: Bool) {
            self.found = found
            self.expected = expected
            self.blank = blank
        }

        /// "Line 7 has 15 fields; the header has 18." — a sentence for the row's status.
        public func sentence(line: Int) -> String {
            if blank { return "Line \(line) is blank; the header has \(expected) fields." }
            let hint = found < expected ? "a value or a delimiter is missing" : "a value holds an unquoted delimiter, or there is one too many"
            return "Line \(line) has \(found) field\(found == 1 ? "" : "s"); the header has \(expected) (\(hint))."
        }
    }

    /// An empty record, to be filled by `CSVReader.read(into:)`.
    public init() {}

    /// 1-based physical line where this record starts (a quoted field may span several lines).
    public var line: Int { startLine }

    /// Number of fields.
    @inlinable public var count: Int { spans.count }

    /// The unescaped text of field `i` (0-based); traps when `i` is out of range, like an array.
    @inlinable public subscript(i: Int) -> String {
        withFieldBytes(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// All fields as strings; allocates an array, so prefer the subscript in hot loops.
    public var fields: [String] {
        (0..<count).map { self[$0] }
    }

    /// The unescaped bytes of field i, without copying.
    ///
    /// The bytes are valid UTF-8 (the reader checks every record) and are only valid inside
    /// `body`; parse numbers straight from them to avoid making strings. Inlinable, so the
    /// closure costs nothing in a caller's per-field loop.
    @inlinable public func withFieldBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let span = spans[i]
        return try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[span.start..<span.end]))
        }
    }
}

/// The half-open byte range of one field inside `CSVRecord.bytes`.
@usableFromInline
struct CSVFieldSpan: Sendable {
    @usableFromInline var start: Int
    @usableFromInline var end: Int

    @inlinable init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}
