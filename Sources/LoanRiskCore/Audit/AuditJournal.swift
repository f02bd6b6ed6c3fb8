import Foundation
import Scoring
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the audit log puts the records of answers it could not commit to the database (the
/// database is down, or did not answer within the log's deadline), so that those answers can
/// still be given: a local append-only file, synced before the answers leave, and replayed
/// into the database when it answers again.
///
/// Each instance appends to files of its own (`audit-<database>-<random>.journal`, locked while
/// it runs), so instances sharing a folder never write to one file; the `<database>` part (a
/// hash of the database's address, no credentials) keeps instances of different databases
/// from replaying each other's records. A file whose instance has stopped, however it stopped,
/// is taken over and replayed by the next instance of the same database to look: at start-up,
/// and every second after.
///
/// File work runs on a queue of its own: `fdatasync` blocks its thread for milliseconds.
package final class AuditJournal: Sendable {
    /// A file's records, waiting to be written to the database.
    package struct Waiting: Sendable {
        package let file: JournalFile
        package let records: [AuditRecord]
        /// Lines that did not read as records (a damaged file); they cannot be replayed.
        package let unreadable: Int
    }

    private struct State {
        /// The file this instance appends to, and its length (where a failed append is cut back to).
        package var active: JournalFile?
        package var length = 0
        /// Files held by this instance and closed for appends: waiting to be replayed.
        package var waiting: [JournalFile] = []
    }

    package let directory: URL
    /// How this database's journal files are named: `audit-<12 hex digits>-`.
    package let prefix: String
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "loanrisk.audit.journal")

    /// A journal in `directory` for the database named by `database` (see `identity`).
    package init(directory: URL, database: String) {
        self.directory = directory
        prefix = "audit-" + String(SHA256.hexDigest(Array(database.utf8)).prefix(12)) + "-"
    }

    /// What names a database across restarts and instances: PostgreSQL's host, port, database
    /// and schema (not the user or password, which may change), or the SQLite file's path.
    package static func identity(databaseURL: String?, databasePath: String) -> String {
        guard let url = databaseURL else { return "sqlite:" + URL(fileURLWithPath: databasePath).standardizedFileURL.path }
        guard let parts = URLComponents(string: url) else { return "postgres:" + url }
        let schema = parts.queryItems?.first { $0.name == "schema" }?.value ?? ""
        return "postgres://\(parts.host ?? ""):\(parts.port ?? 5432)\(parts.path)?schema=\(schema)"
    }

    /// Appends `records` and returns once they are on the disk.
    package func append(_ records: [AuditRecord]) async throws {
        let bytes = try JournalFile.lines(records)
        try await onQueue { [self] in
            try state.withLock { (s: inout State) throws -> Void in
                let file: JournalFile
                if let active = s.active {
                    file = active
                } else {
                    try createFolder()
                    file = try JournalFile.create(at: directory.appendingPathComponent(prefix + Self.randomName() + ".journal").path)
                    s.active = file
                    s.length = 0
                }
                do {
                    try file.append(bytes, at: s.length)
                    s.length += bytes.count
                } catch {
                    // What the file held before stays whole; later records go to a new file.
                    s.active = nil
                    s.waiting.append(file)
                    throw error
                }
            }
        }
    }

    /// Every file waiting to be replayed, with its records: this instance's (the file it
    /// appends to is closed and a new one started with the next append), and those of stopped
    /// instances of the same database, now held by this one. Each stays until `remove`.
    package func takeWaiting() async throws -> [Waiting] {
        try await onQueue { [self] in
            var files = state.withLock { s in
                if let active = s.active {
                    s.waiting.append(active)
                    s.active = nil
                }
                return s.waiting
            }
            let held = Set(files.map(\.path))
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where name.hasPrefix(prefix) && name.hasSuffix(".journal") {
                let path = directory.appendingPathComponent(name).path
                guard !held.contains(path), let file = JournalFile.adopt(path) else { continue }
                state.withLock { $0.waiting.append(file) }
                files.append(file)
            }
            return try files.map { file in
                let (records, unreadable) = try file.records()
                return Waiting(file: file, records: records, unreadable: unreadable)
            }
        }
    }

    /// Deletes a replayed file.
    package func remove(_ file: JournalFile) async {
        _ = try? await onQueue { [self] in
            state.withLock { $0.waiting.removeAll { $0.path == file.path } }
            file.remove()
        }
    }

    /// Why the journal could not be written, seen without writing (the folder, or the nearest
    /// existing folder above it, is not writable); nil when it looks writable. The folder is
    /// made with the first record journaled.
    package func unwritable() -> String? {
        var folder = directory.standardizedFileURL
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return FileManager.default.isWritableFile(atPath: folder.path) ? nil : "\(folder.path) is not writable"
    }

    /// Whether this instance holds journaled records not yet replayed.
    package var holdsRecords: Bool {
        state.withLock { $0.active != nil || !$0.waiting.isEmpty }
    }

    /// Makes the folder and those above it that are missing (`mkdir -p`), with the system's
    /// reason when it cannot.
    private func createFolder() throws(JournalError) {
        var missing: [String] = []
        var folder = directory.standardizedFileURL.path
        while !folder.isEmpty, folder != "/", !FileManager.default.fileExists(atPath: folder) {
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        for path in missing.reversed() where mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw JournalError("could not create the folder \(path) (AUDIT_JOURNAL_DIR)", errno: errno)
        }
    }

    private static func randomName() -> String {
        var generator = SystemRandomNumberGenerator()
        return HexDigits.string(generator.next(), generator.next(), digitsEach: 12)
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
