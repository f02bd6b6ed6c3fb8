import Foundation
import Scoring

/// Where results go. A file is written beside its final name and moved into place only when
/// the whole input was read, so a failed run never leaves a half-written results file.
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

    func commit() throws(CommandFailure) {
        guard let finalURL, let partialURL else { return }
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
