import Foundation

/// Buffered writer to a FileHandle (or to memory), flushing every ~256 KiB.
///
/// Records are encoded with `CSVEncoder` (RFC 4180 quoting, formula neutralisation, CRLF
/// line ends). Writing to a file costs one system call per ~256 KiB rather than per row.
/// Call `flush()` when done: it is where a failed write is reported. The writer flushes on
/// deinit too, as a last resort, but an error there cannot be reported.
///
/// Not `Sendable`: one writer belongs to one output and one task.
public final class CSVWriter {
    /// Buffered bytes are written out once there are this many.
    static let flushThreshold = 256 * 1024

    private let fileHandle: FileHandle?
    private var buffer: [UInt8] = []
    /// In-memory mode: everything written so far.
    private var memory = Data()

    /// Writes to `fileHandle` (e.g. `FileHandle.standardOutput`); the handle is not closed.
    public init(fileHandle: FileHandle) {
        self.fileHandle = fileHandle
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Writes to memory; read the result from `data`.
    public init() {
        self.fileHandle = nil
    }

    deinit {
        try? flush()
    }

    /// In-memory contents: everything written so far (empty when writing to a file handle).
    public var data: Data {
        guard fileHandle == nil else { return Data() }
        var all = memory
        all.append(contentsOf: buffer)
        return all
    }

    /// Encodes and writes one record, ending it with CRLF.
    public func writeRecord(_ fields: [String]) throws {
        CSVEncoder.appendRecord(fields, to: &buffer)
        try flushIfFull()
    }

    /// Writes pre-encoded bytes (from CSVEncoder), appended as is.
    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        try flushIfFull()
    }

    /// Writes out everything buffered. Throws a `CSVError` of kind `.io` when the write fails
    /// (disk full, closed pipe).
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        guard let fileHandle else {
            memory.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        do {
            try fileHandle.write(contentsOf: buffer)
        } catch {
            throw CSVError.io(line: 0, "Could not write the CSV output: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func flushIfFull() throws {
        if buffer.count >= Self.flushThreshold { try flush() }
    }
}

@available(*, unavailable, message: "A CSVWriter belongs to one output and one task")
extension CSVWriter: Sendable {}
