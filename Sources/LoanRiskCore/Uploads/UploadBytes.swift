import NIOCore

/// The bytes of an upload (a request body, one of its parts, or a file inflated from it):
/// in memory when small, in a mapped `SpoolFile` otherwise. A slice shares its owner's
/// storage, so splitting a body into parts copies nothing.
package struct UploadBytes: Sendable {
    private enum Owner: Sendable {
        case memory(ByteBuffer)
        case spool(MappedSpool)
    }

    private let owner: Owner
    private let range: Range<Int>

    package init(_ buffer: ByteBuffer) {
        owner = .memory(buffer)
        range = 0..<buffer.readableBytes
    }

    package init(_ spool: MappedSpool) {
        owner = .spool(spool)
        range = 0..<spool.count
    }

    private init(owner: Owner, range: Range<Int>) {
        self.owner = owner
        self.range = range
    }

    package var count: Int { range.count }
    package var isEmpty: Bool { range.isEmpty }

    /// The bytes for the duration of `body`; valid as long as this value (or a slice of it) lives.
    package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch owner {
        case .memory(let buffer):
            return try buffer.withUnsafeReadableBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
        case .spool(let spool):
            return try body(UnsafeRawBufferPointer(start: spool.base.map { $0 + range.lowerBound }, count: range.count))
        }
    }

    /// The bytes as a `ByteBuffer`: the same storage when they are in memory, a copy when spooled.
    package var buffer: ByteBuffer {
        switch owner {
        case .memory(let buffer):
            return buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
        case .spool:
            return withUnsafeBytes { ByteBuffer(bytes: $0) }
        }
    }

    /// `offsets` relative to these bytes.
    package func slice(_ offsets: Range<Int>) -> UploadBytes {
        precondition(offsets.lowerBound >= 0 && offsets.upperBound <= count, "slice outside the upload")
        return UploadBytes(owner: owner, range: (range.lowerBound + offsets.lowerBound)..<(range.lowerBound + offsets.upperBound))
    }

    /// Up to `count` leading bytes, copied (for sniffing a file's kind).
    package func prefix(_ length: Int) -> [UInt8] {
        withUnsafeBytes { Array($0.prefix(length)) }
    }

    /// A copy, for the rare caller that must own its bytes (a small form field, a stored file).
    package var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
}

extension UploadBytes {
    /// Bytes of a string, in memory (tests, small bodies).
    package init(string: String) { self.init(ByteBuffer(string: string)) }
}
