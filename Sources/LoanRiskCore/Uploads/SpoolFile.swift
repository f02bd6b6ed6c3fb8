import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A temporary file for bytes too many to hold in memory while they arrive (an upload's
/// body) or while they are made (a `.csv.gz` inflated). It is deleted from its folder the
/// moment it is created: only its descriptor reaches it, so it disappears when the request
/// is done with it — or when the process ends, however it ends. No applicant data stays on
/// disk beyond the request that brought it.
///
/// Written with plain `write(2)` a chunk at a time: the bytes go to the kernel's page cache,
/// which can give the memory back under pressure, unlike a buffer in the process.
package final class SpoolFile {
    private let descriptor: Int32
    private(set) var count = 0
    private var mapped = false

    /// Creates the file in `directory` and unlinks it at once.
    package init(directory: URL) throws(SpoolError) {
        var template = Array(directory.appendingPathComponent("loanrisk-spool-XXXXXX").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { name -> Int32 in
            guard let path = name.baseAddress else { return -1 }
            let fd = mkstemp(path)
            if fd >= 0 { unlink(path) }
            return fd
        }
        guard fd >= 0 else { throw SpoolError("could not create a spool file in \(directory.path): \(String(cString: strerror(errno)))") }
        descriptor = fd
    }

    deinit {
        if !mapped { close(descriptor) }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws(SpoolError) {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Foundation.write(descriptor, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw SpoolError("could not write the spool file: \(String(cString: strerror(errno))) (is UPLOAD_SPOOL_DIR's disk full?)")
            }
            base += n
            left -= n
            count += n
        }
    }

    package func write(_ buffer: ByteBuffer) throws(SpoolError) {
        try buffer.withUnsafeReadableBytes { (raw) throws(SpoolError) in try write(raw) }
    }

    /// The whole file, mapped read-only; the mapping owns the descriptor from here on.
    package func map() throws(SpoolError) -> MappedSpool {
        mapped = true
        return try MappedSpool(descriptor: descriptor, count: count)
    }
}

/// A spool file's bytes mapped into memory: pages come from the page cache as they are
/// read and the kernel may drop them again, so a large upload does not pin its size in RAM.
/// Immutable once made, so it may be shared across tasks.
package final class MappedSpool: @unchecked Sendable {
    package let base: UnsafeRawPointer?
    package let count: Int
    private let descriptor: Int32

    fileprivate init(descriptor: Int32, count: Int) throws(SpoolError) {
        self.descriptor = descriptor
        self.count = count
        guard count > 0 else {
            base = nil
            return
        }
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            close(descriptor)
            throw SpoolError("could not map the spool file: \(String(cString: strerror(errno))).")
        }
        base = UnsafeRawPointer(address)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
        close(descriptor)
    }
}

/// A spool file could not be made, written or read: the server's disk, not the client's input.
package struct SpoolError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
