import CompressNIO
import Foundation
import NIOCore

/// Gzip for stored files (the uploaded file, the results with reasons).
package enum Gzip {
    /// `bytes` compressed at the fastest level (storage is cheap, a waiting person is not),
    /// a megabyte at a time, so the output grows with the compressed size instead of being
    /// allocated for the worst case (the whole input again).
    package static func compress(_ bytes: ByteBuffer) throws -> Data {
        try bytes.withUnsafeReadableBytes { try compress($0) }
    }

    /// `bytes` compressed the same way, read a megabyte at a time where they lie (a mapped
    /// upload is never copied whole).
    package static func compress(_ bytes: UnsafeRawBufferPointer) throws -> Data {
        let compressor = CompressionAlgorithm.gzip(configuration: ZlibConfiguration(compressionLevel: .fastestCompression)).compressor
        try compressor.startStream()
        var output = ByteBuffer()
        var offset = 0
        repeat {
            let length = min(1 << 20, bytes.count - offset)
            var slice = ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
            offset += length
            output.reserveCapacity(minimumWritableBytes: compressor.maxSize(from: slice))
            try slice.compressStream(to: &output, with: compressor, flush: offset == bytes.count ? .finish : .sync)
        } while offset < bytes.count
        try compressor.finishStream()
        return Data(output.readableBytesView)
    }

    /// Decompresses a stored file whose uncompressed size is known.
    package static func decompress(_ data: Data, byteCount: Int) throws -> ByteBuffer {
        var compressed = ByteBuffer(data: data)
        return try compressed.decompress(with: .gzip(), maxSize: byteCount + 1)
    }

    /// Decompresses stored data of unknown size (the buffer grows as it needs to).
    package static func decompress(_ data: Data) throws -> ByteBuffer {
        var compressed = ByteBuffer(data: data)
        return try compressed.decompress(with: .gzip())
    }
}
