import CompressNIO
import Foundation
import NIOCore
import Scoring

/// An uploaded file's bytes, checked and (for `.csv.gz`) decompressed before it is read as CSV.
/// Problems that make the whole file unusable are `InputFileError`s a person can act on.
struct UploadedFile {
    let name: String
    /// The CSV text's bytes (decompressed).
    let csv: Data
    /// The bytes as uploaded, gzip-compressed (the upload itself when it was a .csv.gz).
    let gzip: [UInt8]

    init(name: String, bytes: ByteBuffer, maxBytes: Int) throws(InputFileError) {
        self.name = name
        guard bytes.readableBytes > 0 else {
            throw InputFileError("The file \(Self.quoted(name)) is empty. Choose a CSV file with a header row and one row per applicant.")
        }
        let magic = bytes.getBytes(at: bytes.readerIndex, length: min(4, bytes.readableBytes)) ?? []
        if magic.starts(with: [0x1F, 0x8B]) {
            var compressed = bytes
            do {
                let plain = try compressed.decompress(with: .gzip(), maxSize: maxBytes)
                csv = Data(plain.readableBytesView)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw InputFileError("The decompressed file is larger than the \(maxBytes / 1_048_576) MB limit.")
            } catch {
                throw InputFileError("\(Self.quoted(name)) looks gzip-compressed but could not be decompressed: is the .gz file complete?")
            }
            gzip = Array(bytes.readableBytesView)
        } else {
            csv = Data(bytes.readableBytesView)
            var source = bytes
            do {
                let level = ZlibConfiguration(compressionLevel: .fastestCompression)
                gzip = Array(try source.compress(with: .gzip(configuration: level)).readableBytesView)
            } catch {
                throw InputFileError("The file could not be stored: \(error).")
            }
        }
        try Self.checkLooksLikeText(csv, name: name)
    }

    /// Spreadsheets and other binary files get a message that says how to make a CSV.
    private static func checkLooksLikeText(_ data: Data, name: String) throws(InputFileError) {
        let head = data.prefix(8192)
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
