import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One file of the audit journal, held open and locked (`flock`) by the process that uses
/// it: the lock says "this file belongs to a running instance", and the kernel drops it when
/// that process ends, however it ends — so another instance may adopt the file only once its
/// owner is gone. Lines are audit records as JSON, each ending with a newline; a line without
/// its newline was cut short by a crash while being written, never answered, and is ignored.
package struct JournalFile: Sendable {
    package let path: String
    package let descriptor: Int32

    /// Creates a new file at `path`, locked before it has its name, so no other instance can
    /// adopt it between its creation and its lock; the folder's entry is synced.
    package static func create(at path: String) throws(JournalError) -> JournalFile {
        let folder = (path as NSString).deletingLastPathComponent
        let unnamed = (folder as NSString).appendingPathComponent(".creating-" + (path as NSString).lastPathComponent)
        let fd = open(unnamed, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError("could not create \(unnamed)", errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, rename(unnamed, path) == 0 else {
            let error = JournalError("could not lock and name \(path)", errno: errno)
            unlink(unnamed)
            close(fd)
            throw error
        }
        let file = JournalFile(path: path, descriptor: fd)
        do {
            try file.syncFolder()
        } catch {
            file.remove()
            throw error
        }
        return file
    }

    /// Opens and locks a file another instance left, or nil when a running instance still
    /// holds it, or it was removed meanwhile (its replay is done).
    package static func adopt(_ path: String) -> JournalFile? {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var held = stat()
        var named = stat()
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino else {
            close(fd)
            return nil
        }
        return JournalFile(path: path, descriptor: fd)
    }

    /// Appends `bytes` (whole lines) and waits until they are on the disk (`fdatasync`).
    /// On failure the file is cut back to `length`, its size before, so no torn line stays
    /// in the middle of the file.
    package func append(_ bytes: [UInt8], at length: Int) throws(JournalError) {
        var written = 0
        var failure: JournalError?
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while written < raw.count {
                let n = write(descriptor, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = JournalError("could not write \(path)", errno: errno)
                    return
                }
                written += n
            }
        }
        if failure == nil, fdatasync(descriptor) != 0 { failure = JournalError("could not sync \(path)", errno: errno) }
        if let failure {
            _ = ftruncate(descriptor, off_t(length))
            throw failure
        }
    }

    /// The records of every complete line; a last line cut short is left out, and so is a
    /// line that does not read as a record (counted in `unreadable`).
    package func records() throws(JournalError) -> (records: [AuditRecord], unreadable: Int) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw JournalError("could not read \(path): \(error)")
        }
        return Self.records(in: data)
    }

    package static func records(in data: Data) -> (records: [AuditRecord], unreadable: Int) {
        let decoder = JSONDecoder()
        var records: [AuditRecord] = []
        var unreadable = 0
        var start = data.startIndex
        while let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if end > start {
                if let record = try? decoder.decode(AuditRecord.self, from: data[start..<end]) {
                    records.append(record)
                } else {
                    unreadable += 1
                }
            }
            start = data.index(after: end)
        }
        return (records, unreadable)
    }

    /// The records as the file's lines.
    package static func lines(_ records: [AuditRecord]) throws(JournalError) -> [UInt8] {
        let encoder = JSONEncoder()
        var bytes: [UInt8] = []
        for record in records {
            do {
                bytes += try encoder.encode(record)
            } catch {
                throw JournalError("could not encode an audit record: \(error)")
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Deletes the file (its records are in the database) and lets go of it.
    package func remove() {
        unlink(path)
        close(descriptor)
    }

    /// Lets go of the file and leaves it where it is, for a later replay.
    package func release() {
        close(descriptor)
    }

    private func syncFolder() throws(JournalError) {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError("could not open \(folder)", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw JournalError("could not sync \(folder)", errno: errno) }
    }
}

/// Why the audit journal could not be written or read, with the system's reason.
package struct JournalError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }

    package init(_ what: String, errno code: Int32) {
        description = "\(what): \(String(cString: strerror(code)))"
    }
}
