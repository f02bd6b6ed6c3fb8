import CompressNIO
import Foundation
import NIOCore
import Scoring

/// An uploaded file's bytes, checked and (for `.csv.gz`) decompressed before it is read as CSV.
/// Problems that make the whole file unusable are `InputFileError`s a person can act on.
struct UploadedFile: Sendable {
    let name: String
    /// The CSV text's bytes (decompressed).
    let csv: ByteBuffer
    /// The upload itself when it arrived gzip-compressed (then it is stored as it came).
    private let uploadedGzip: ByteBuffer?

    init(name: String, bytes: ByteBuffer, maxBytes: Int) throws(InputFileError) {
        self.name = name
        guard bytes.readableBytes > 0 else {
            throw InputFileError("The file \(Self.quoted(name)) is empty. Choose a CSV file with a header row and one row per applicant.")
        }
        let magic = bytes.getBytes(at: bytes.readerIndex, length: min(4, bytes.readableBytes)) ?? []
        if magic.starts(with: [0x1F, 0x8B]) {
            var compressed = bytes
            do {
                csv = try compressed.decompress(with: .gzip(), maxSize: maxBytes)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw InputFileError("The decompressed file is larger than the \(maxBytes / 1_048_576) MB limit.")
            } catch {
                throw InputFileError("\(Self.quoted(name)) looks gzip-compressed but could not be decompressed: is the .gz file complete?")
            }
            uploadedGzip = bytes
        } else {
            csv = bytes
            uploadedGzip = nil
        }
        try Self.checkLooksLikeText(csv, name: name)
    }

    /// The file gzip-compressed for storage (fastest level: it runs while the rows are scored).
    func gzip() throws -> Data {
        if let uploadedGzip { return Data(uploadedGzip.readableBytesView) }
        return try Gzip.compress(csv)
    }

    /// Spreadsheets and other binary files get a message that says how to make a CSV.
    private static func checkLooksLikeText(_ bytes: ByteBuffer, name: String) throws(InputFileError) {
        let head = bytes.getBytes(at: bytes.readerIndex, length: min(8192, bytes.readableBytes)) ?? []
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw InputFileError(
                "\(quoted(name)) is a spreadsheet workbook, not a CSV file. In Excel choose File → Save As → \"CSV UTF-8 (Comma delimited)\" and upload that file.")
        }
        if head.contains(0) {
            throw InputFileError("\(quoted(name)) is not a text file (it contains binary data). Upload a .csv or .csv.gz file.")
        }
    }

    static func quoted(_ name: String) -> String { "‘\(name)’" }
}
