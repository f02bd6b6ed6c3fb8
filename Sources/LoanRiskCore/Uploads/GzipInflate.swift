import CompressNIO
import Foundation
import NIOCore

/// Inflates an uploaded `.csv.gz` as a stream: a megabyte of compressed input at a time,
/// through a one-megabyte window, into a `SpoolFile`. Memory stays a few megabytes whatever
/// the file expands to, and a file that expands past the limit is refused the moment it
/// passes it — a 10 MB file of zeros that would be 4 GB costs the limit's worth of disk
/// writes, briefly, not 4 GB (or even the limit) of memory.
package enum GzipInflate {
    package enum Failure: Error {
        case tooLarge
        /// Not gzip, damaged, or cut short.
        case corrupt
        case spool(SpoolError)
    }

    private static let chunk = 1 << 20

    package static func inflate(_ compressed: UploadBytes, limit: Int, spoolDirectory: URL) throws(Failure) -> UploadBytes {
        do {
            let inflater = try ZlibDecompressor(algorithm: .gzip)
            let spool = try SpoolFile(directory: spoolDirectory)
            var window = ByteBufferAllocator().buffer(capacity: chunk)
            var ended = false
            try compressed.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count, !ended {
                    let length = min(chunk, raw.count - offset)
                    var input = ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]))
                    offset += length
                    ended = try inflate(&input, with: inflater, window: &window, into: spool, limit: limit)
                }
            }
            try drain(&window, into: spool, limit: limit)
            let complete = try ended || streamEnded(inflater)
            guard complete else { throw Failure.corrupt }
            return UploadBytes(try spool.map())
        } catch let failure as Failure {
            throw failure
        } catch let error as SpoolError {
            throw .spool(error)
        } catch {
            throw .corrupt
        }
    }

    /// Inflates all of `input` (or up to the end of the gzip stream); true when the stream ended
    /// with input to spare (what follows a gzip member is ignored, as gunzip's first member).
    private static func inflate(
        _ input: inout ByteBuffer, with inflater: ZlibDecompressor, window: inout ByteBuffer, into spool: SpoolFile, limit: Int
    ) throws -> Bool {
        while true {
            let (inBefore, outBefore) = (input.readableBytes, window.readableBytes)
            var full = false
            do {
                try inflater.inflate(from: &input, to: &window)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                full = true
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                return false
            }
            if full || window.writableBytes == 0 { try drain(&window, into: spool, limit: limit) }
            let progressed = full || input.readableBytes != inBefore || window.readableBytes != outBefore
            if !progressed { return input.readableBytes > 0 }
            if input.readableBytes == 0, !full { return false }
        }
    }

    private static func drain(_ window: inout ByteBuffer, into spool: SpoolFile, limit: Int) throws {
        guard window.readableBytes > 0 else { return }
        guard spool.count + window.readableBytes <= limit else { throw Failure.tooLarge }
        try spool.write(window)
        window.clear()
    }

    /// Whether the gzip stream is complete: asked for more with no input, a finished stream
    /// answers normally and one cut short asks for input.
    private static func streamEnded(_ inflater: ZlibDecompressor) throws -> Bool {
        var empty = ByteBufferAllocator().buffer(capacity: 16)
        var sink = ByteBufferAllocator().buffer(capacity: 16)
        do {
            try inflater.inflate(from: &empty, to: &sink)
            return sink.readableBytes == 0
        } catch let error as CompressNIOError where error == .inputBufferOverflow {
            return false
        }
    }
}
