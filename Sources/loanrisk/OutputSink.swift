import Foundation
import Scoring

/// Where results go. A file is written beside its final name and moved into place only when
/// the whole input was read, so a failed run never leaves a half-written results file. A path
/// that names something other than a file — `/dev/null`, a named pipe, a terminal — is
/// written to directly: moving a file into its place would replace the device itself (run as
/// root, `--output /dev/null` left a regular file where the null device was).
final class OutputSink {
    let writer: CSVWriter
    private let finalURL: URL?
    private let partialURL: URL?
    private let handle: FileHandle

    init(path: String) throws(CommandFailure) {
        if path == "-" {
            handle = .standardOutput
            finalURL = nil
            partialURL = nil
        } else if Self.isSpecialFile(path) {
            guard let opened = FileHandle(forWritingAtPath: path) else { throw CommandFailure(message: "cannot write to \(path)") }
            handle = opened
            finalURL = nil
            partialURL = nil
        } else {
            let url = URL(fileURLWithPath: path)
            let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
            guard FileManager.default.createFile(atPath: partial.path, contents: nil),
                  let opened = try? FileHandle(forWritingTo: partial) else {
                throw CommandFailure(message: "cannot write to \(path)")
            }
            handle = opened
            finalURL = url
            partialURL = partial
        }
        writer = CSVWriter(fileHandle: handle)
    }

    /// Whether `path` exists and is neither a regular file nor a directory.
    private static func isSpecialFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    func commit() throws(CommandFailure) {
        guard let finalURL, let partialURL else {
            if handle !== FileHandle.standardOutput { try? handle.close() }
            return
        }
        do {
            try handle.close()
        } catch {
            throw CommandFailure(message: "cannot write \(finalURL.path): \(error.localizedDescription)")
        }
        // rename(2) replaces an existing file atomically.
        guard rename(partialURL.path, finalURL.path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw CommandFailure(message: "cannot write \(finalURL.path): \(reason)")
        }
    }

    func discard() {
        guard let partialURL else { return }
        try? handle.close()
        try? FileManager.default.removeItem(at: partialURL)
    }
}
