/// The field spans of the record being scanned, in memory the reader owns.
///
/// `Array.append` checks uniqueness on every call, which showed up at ~5 % of a read in
/// profiles (one call per field); here an append is a compare and a store, and the spans are
/// copied into the record once per record. The owning reader calls `deallocate()` in deinit.
struct CSVSpanScratch {
    private var base: UnsafeMutablePointer<CSVFieldSpan>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
        self.base = .allocate(capacity: capacity)
    }

    /// The spans appended since the last `removeAll()`, valid until the next append.
    var spans: UnsafeBufferPointer<CSVFieldSpan> {
        UnsafeBufferPointer(start: base, count: count)
    }

    mutating func removeAll() {
        count = 0
    }

    @inline(__always)
    mutating func append(_ span: CSVFieldSpan) {
        if count == capacity { grow() }
        base[count] = span
        count += 1
    }

    private mutating func grow() {
        let grown = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: capacity * 2)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity *= 2
    }

    func deallocate() {
        base.deallocate()
    }
}
