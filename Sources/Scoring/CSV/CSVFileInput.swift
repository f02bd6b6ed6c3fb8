import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads from a file handle straight into the reader's buffer.
///
/// `read(2)` on the descriptor rather than `FileHandle.read(upToCount:)`: the latter returns
/// a new `Data` per chunk that would then be copied again; this keeps one copy and no
/// allocation per chunk.
enum CSVFileInput {
    /// Reads up to `count` bytes; returns 0 at end of file. `line` is only for the message.
    static func read(_ handle: FileHandle, into buffer: UnsafeMutablePointer<UInt8>, count: Int, line: Int) throws(CSVError) -> Int {
        while true {
            let n = systemRead(handle.fileDescriptor, buffer, count)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            let reason = String(cString: strerror(code))
            throw .io(line: line, "could not read the input: \(reason).")
        }
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.read(fd, buffer, count)
        #elseif canImport(Musl)
            return Musl.read(fd, buffer, count)
        #else
            return Darwin.read(fd, buffer, count)
        #endif
    }
}
