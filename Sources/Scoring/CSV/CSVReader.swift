import Foundation

/// A streaming RFC 4180 CSV reader: a header line, then records with as many fields each.
///
/// Reading a file keeps one buffer of about 256 KiB (more only while a single record is
/// longer than that), so memory does not depend on the file's size. Records are scanned as
/// bytes and checked to be UTF-8; strings are made only when a field is asked for as one.
///
/// What it accepts: quoted fields with doubled quotes, delimiters and line ends inside
/// quotes, CRLF, LF or lone-CR line ends, a final record with or without a line end, a UTF-8
/// byte-order mark at the start. Blank lines before the header and at the end of the input
/// are ignored; a blank line between records is a record with one empty field (so a ragged
/// row in a file with several columns). A quote inside an unquoted field is kept literally —
/// see `CSVRecordScanner` for why.
///
/// Not `Sendable`: one reader belongs to one stream and one task. After an error the reader
/// stops; later calls throw the same error again.
public final class CSVReader {
    /// Bytes asked of the operating system per read.
    static let chunkSize = 256 * 1024

    private let options: CSVReaderOptions
    /// The file being read, or nil when all input was given as `Data`.
    private let fileHandle: FileHandle?

    /// Read buffer; bytes `start..<end` are read but not yet consumed.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEOF: Bool
    /// Physical line number of the byte at `start`.
    private var line = 1

    private var detectedDelimiter: UInt8?
    /// Whether the byte-order mark, leading blank lines and delimiter have been dealt with.
    private var started = false
    private var header: [String]?
    /// Fields every record must have: the header's count, or the first record's without one.
    private var expectedFields: Int?
    /// Blank lines already consumed (while looking for the end of input) but not yet returned.
    private var pendingBlankLines = 0
    private var pendingBlankLine = 0
    /// Field spans of the record being scanned.
    private var spanScratch = CSVSpanScratch()
    /// Indices of the current record's fields that contain doubled quotes.
    private var unescapeScratch: [Int] = []
    private var failure: CSVError?
    /// What keeps borrowed bytes valid (nil when the reader owns `storage`).
    private let borrowedFrom: Any?

    /// Opens the file at `url` and streams it in chunks.
    ///
    /// Throws a `CSVError` of kind `.io` (line 0) when the file cannot be opened.
    public convenience init(url: URL, options: CSVReaderOptions = .init()) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw CSVError.io(line: 0, "Could not open \(url.path) for reading: \(error.localizedDescription)")
        }
        self.init(fileHandle: handle, options: options)
    }

    /// Streams from an open file handle, such as `FileHandle.standardInput`, from its
    /// current position. The handle is not closed by the reader.
    public init(fileHandle: FileHandle, options: CSVReaderOptions = .init()) {
        Self.checkDelimiter(options.delimiter)
        self.options = options
        self.fileHandle = fileHandle
        self.capacity = Self.chunkSize
        self.storage = .allocate(capacity: Self.chunkSize)
        self.atEOF = false
        self.borrowedFrom = nil
    }

    /// Reads CSV that is already in memory (copied once).
    public convenience init(data: Data, options: CSVReaderOptions = .init()) {
        self.init(byteCount: data.count, options: options) { data.copyBytes(to: $0, count: data.count) }
    }

    /// Reads CSV from bytes in memory (copied once, so the caller's buffer may go away).
    public convenience init(bytes: UnsafeRawBufferPointer, options: CSVReaderOptions = .init()) {
        self.init(byteCount: bytes.count, options: options) { storage in
            if let base = bytes.baseAddress { UnsafeMutableRawPointer(storage).copyMemory(from: base, byteCount: bytes.count) }
        }
    }

    /// Reads bytes where they lie, without copying them: for input already whole in memory
    /// that something else keeps valid, such as an upload mapped from its spool file (a copy
    /// would double the memory a large file takes). `owner` is that something: the reader
    /// holds it for as long as it lives. The bytes are only ever read.
    public init(borrowing bytes: UnsafeRawBufferPointer, owner: Any, options: CSVReaderOptions = .init()) {
        Self.checkDelimiter(options.delimiter)
        self.options = options
        self.fileHandle = nil
        if let base = bytes.baseAddress {
            self.storage = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
            self.capacity = bytes.count
            self.borrowedFrom = owner
        } else {
            self.storage = .allocate(capacity: 1)
            self.capacity = 1
            self.borrowedFrom = nil
        }
        self.end = bytes.count
        self.atEOF = true
    }

    private init(byteCount: Int, options: CSVReaderOptions, fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        Self.checkDelimiter(options.delimiter)
        self.options = options
        self.fileHandle = nil
        self.capacity = max(byteCount, 1)
        self.storage = .allocate(capacity: capacity)
        fill(storage)
        self.end = byteCount
        self.atEOF = true
        self.borrowedFrom = nil
    }

    deinit {
        if borrowedFrom == nil { storage.deallocate() }
        spanScratch.deallocate()
    }

    private static func checkDelimiter(_ delimiter: UInt8?) {
        guard let delimiter else { return }
        precondition(
            delimiter != CSVByte.quote && delimiter != CSVByte.lineFeed && delimiter != CSVByte.carriageReturn,
            "CSVReaderOptions.delimiter cannot be a quote, CR or LF")
    }

    /// The delimiter in use: the configured one, else the one detected from the header line
    /// (comma until the header has been read).
    public var delimiter: UInt8 {
        options.delimiter ?? detectedDelimiter ?? CSVByte.comma
    }

    /// Reads the header record (first record) — trims a UTF-8 BOM, detects the delimiter when options.delimiter is nil. Throws CSVError(.empty) for an empty input.
    ///
    /// Call it once, before `read(into:)`; calling it again returns the same header. Every
    /// later record must have as many fields as the header has.
    public func readHeader() throws -> [String] {
        if let header { return header }
        if let failure { throw failure }
        precondition(!started, "CSVReader.readHeader() must be called before read(into:)")
        do throws(CSVError) {
            guard try begin() else { throw CSVError.empty }
            var record = CSVRecord()
            _ = try parseRecord(into: &record)
            let fields = record.fields
            expectedFields = fields.count
            header = fields
            return fields
        } catch {
            failure = error
            throw error
        }
    }

    /// Reads the next record into `record`, reusing its storage. Returns false at end of input.
    /// Every record must have as many fields as the header (ragged → error with line number),
    /// unless the options say to fit such a record (`CSVRecord.misfit` then says what it had).
    ///
    /// Without a prior `readHeader()`, the first record is returned as data and sets the
    /// field count for the rest (headerless files); an empty input then simply returns false.
    public func read(into record: inout CSVRecord) throws -> Bool {
        if let failure { throw failure }
        do throws(CSVError) {
            return try readNext(into: &record)
        } catch {
            failure = error
            throw error
        }
    }

    private func readNext(into record: inout CSVRecord) throws(CSVError) -> Bool {
        if !started {
            guard try begin() else { return false }
        }
        if pendingBlankLines > 0 {
            record.bytes.removeAll(keepingCapacity: true)
            record.spans.removeAll(keepingCapacity: true)
            record.spans.append(CSVFieldSpan(start: 0, end: 0))
            record.startLine = pendingBlankLine
            pendingBlankLine += 1
            pendingBlankLines -= 1
            try checkFieldCount(&record, blank: true)
            return true
        }
        guard let blank = try parseRecord(into: &record) else { return false }
        if blank {
            // Blank lines at the end of the input are ignored; look ahead to find out.
            let (following, reachedEOF) = try skipBlankLines()
            if reachedEOF { return false }
            pendingBlankLines = following
            pendingBlankLine = record.startLine + 1
        }
        try checkFieldCount(&record, blank: blank)
        return true
    }

    private func checkFieldCount(_ record: inout CSVRecord, blank: Bool) throws(CSVError) {
        record.misfit = nil
        guard let expected = expectedFields else {
            expectedFields = record.count
            return
        }
        guard record.count != expected else { return }
        guard options.raggedRecords == .fit else {
            throw .raggedRow(
                line: record.startLine, expected: expected, found: record.count, atLeast: false, blank: blank,
                delimiter: delimiter)
        }
        record.misfit = CSVRecord.Misfit(found: record.count, expected: expected, blank: blank)
        if record.count > expected {
            record.spans.removeLast(record.count - expected)
        } else {
            let end = record.bytes.count
            for _ in record.count..<expected { record.spans.append(CSVFieldSpan(start: end, end: end)) }
        }
    }

    // MARK: - Start of input

    /// Trims the byte-order mark, skips leading blank lines and picks the delimiter.
    /// Returns false when there is nothing but blank lines.
    private func begin() throws(CSVError) -> Bool {
        started = true
        while end - start < CSVByte.byteOrderMark.count && !atEOF { try refill() }
        if end - start >= CSVByte.byteOrderMark.count
            && storage[start] == 0xEF && storage[start + 1] == 0xBB && storage[start + 2] == 0xBF
        {
            start += CSVByte.byteOrderMark.count
        }
        let (_, reachedEOF) = try skipBlankLines()
        if reachedEOF { return false }
        if options.delimiter == nil {
            detectedDelimiter = try detectDelimiter()
        }
        return true
    }

    /// Detects the delimiter from the first line, as documented on `CSVReaderOptions.delimiter`.
    private func detectDelimiter() throws(CSVError) -> UInt8 {
        while true {
            var detector = CSVDelimiterDetector()
            let done = detector.scan(UnsafeBufferPointer(start: storage + start, count: end - start), atEOF: atEOF)
            if let comma = detector.decided { return comma }
            // A header longer than one field's limit is an error the scanner will report.
            if done || atEOF || end - start > options.maxFieldBytes { return detector.choice }
            try refill()
        }
    }

    // MARK: - Records

    /// Scans the next record into `record`. Returns nil at the end of input, else whether
    /// the record was a blank line.
    private func parseRecord(into record: inout CSVRecord) throws(CSVError) -> Bool? {
        // Fitting a long record needs all of it; the field limit still bounds a runaway one.
        let scanner = CSVRecordScanner(
            delimiter: delimiter, maxFieldBytes: options.maxFieldBytes,
            expectedFields: options.raggedRecords == .fit ? nil : expectedFields)
        while true {
            if start == end {
                if atEOF { return nil }
                try refill()
                continue
            }
            let buffer = UnsafeBufferPointer(start: storage, count: end)
            let result = try scanner.scan(
                buffer, from: start, line: line, atEOF: atEOF, spans: &spanScratch, unescape: &unescapeScratch)
            switch result {
            case .needMore:
                try refill()
            case .record(let next, let nextLine, let blank):
                record.startLine = line
                record.spans.removeAll(keepingCapacity: true)
                record.spans.append(contentsOf: spanScratch.spans)
                record.bytes.removeAll(keepingCapacity: true)
                record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<next]))
                start = next
                line = nextLine
                try validateUTF8(record)
                if !unescapeScratch.isEmpty { unescape(&record) }
                return blank
            }
        }
    }

    /// Checks the record's bytes are UTF-8 once, so fields can become strings without loss.
    private func validateUTF8(_ record: CSVRecord) throws(CSVError) {
        let bad = record.bytes.withUnsafeBufferPointer { CSVUTF8.firstInvalidByte(in: $0) }
        guard let bad else { return }
        var lineEnds = 0
        var index = 0
        while index < bad {
            let b = record.bytes[index]
            if b == CSVByte.lineFeed && (index == 0 || record.bytes[index - 1] != CSVByte.carriageReturn) {
                lineEnds += 1
            } else if b == CSVByte.carriageReturn {
                lineEnds += 1
            }
            index += 1
        }
        let field = (record.spans.firstIndex { $0.end > bad } ?? record.spans.count - 1) + 1
        throw .invalidUTF8(line: record.startLine + lineEnds, field: field, byte: record.bytes[bad])
    }

    /// Turns each doubled quote of the listed fields into one, moving bytes down in place.
    private func unescape(_ record: inout CSVRecord) {
        for field in unescapeScratch {
            let span = record.spans[field]
            var write = span.start
            record.bytes.withUnsafeMutableBufferPointer { bytes in
                var read = span.start
                while read < span.end {
                    let b = bytes[read]
                    bytes[write] = b
                    write += 1
                    read += b == CSVByte.quote ? 2 : 1
                }
            }
            record.spans[field].end = write
        }
    }

    /// Consumes consecutive empty lines at `start`. Returns how many, and whether they run
    /// to the end of the input.
    private func skipBlankLines() throws(CSVError) -> (count: Int, reachedEOF: Bool) {
        var count = 0
        var afterCR = false
        defer { line += count }
        while true {
            while start < end {
                let b = storage[start]
                if b == CSVByte.lineFeed {
                    if !afterCR { count += 1 }
                    afterCR = false
                } else if b == CSVByte.carriageReturn {
                    count += 1
                    afterCR = true
                } else {
                    return (count, false)
                }
                start += 1
            }
            if atEOF { return (count, true) }
            try refill()
        }
    }

    // MARK: - Input

    /// Moves unconsumed bytes to the front and reads more. Reads at least as much as is
    /// pending, so a record longer than the buffer makes it grow geometrically and is
    /// rescanned only a few times.
    private func refill() throws(CSVError) {
        guard let fileHandle, !atEOF else {
            atEOF = true
            return
        }
        let pending = end - start
        if start > 0 {
            if pending > 0 {
                UnsafeMutableRawPointer(storage).copyMemory(from: storage + start, byteCount: pending)
            }
            start = 0
            end = pending
        }
        let want = max(Self.chunkSize, pending)
        if capacity - end < want {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: end + want)
            grown.update(from: storage, count: end)
            storage.deallocate()
            storage = grown
            capacity = end + want
        }
        let minimum = pending < Self.chunkSize ? 1 : pending
        var got = 0
        while got < minimum {
            let n = try CSVFileInput.read(fileHandle, into: storage + end, count: capacity - end, line: line)
            if n == 0 {
                atEOF = true
                break
            }
            end += n
            got += n
        }
    }
}

@available(*, unavailable, message: "A CSVReader belongs to one stream and one task")
extension CSVReader: Sendable {}
