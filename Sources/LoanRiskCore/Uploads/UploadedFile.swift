import Foundation
import NIOCore
import Scoring
import Workbook

/// An uploaded file's bytes, checked and (for `.csv.gz`) inflated before it is read as CSV.
/// Problems that make the whole file unusable are `InputFileError`s a person can act on.
package struct UploadedFile: Sendable {
    package let name: String
    /// The CSV text's bytes (inflated; a large file's are in a mapped spool file).
    package let csv: UploadBytes
    /// The upload itself when it arrived gzip-compressed (then it is stored as it came).
    private let uploadedGzip: UploadBytes?

    /// `maxBytes` bounds the inflated size; inflating streams into `spoolDirectory`.
    package init(name: String, bytes: UploadBytes, maxBytes: Int, spoolDirectory: URL) throws(InputFileError) {
        self.name = name
        guard !bytes.isEmpty else {
            throw InputFileError("The file \(Self.quoted(name)) is empty. Choose a CSV file with a header row and one row per applicant.")
        }
        if bytes.prefix(2) == [0x1F, 0x8B] {
            do {
                csv = try GzipInflate.inflate(bytes, limit: maxBytes, spoolDirectory: spoolDirectory)
            } catch {
                switch error {
                case .tooLarge:
                    throw InputFileError("The decompressed file is larger than the \(maxBytes / 1_048_576) MB limit.")
                case .corrupt:
                    throw InputFileError("\(Self.quoted(name)) looks gzip-compressed but could not be decompressed: is the .gz file complete?")
                case .spool(let problem):
                    throw InputFileError("The server could not make room to decompress \(Self.quoted(name)) (\(problem)). Try again later, or upload it uncompressed.")
                }
            }
            uploadedGzip = bytes
        } else if WorkbookReader.looksLikeWorkbook(bytes.prefix(4)) {
            // An .xlsx: its first sheet becomes the CSV that is scored and stored.
            csv = try Self.firstSheet(of: bytes, name: name, maxBytes: maxBytes)
            uploadedGzip = nil
        } else {
            csv = bytes
            uploadedGzip = nil
        }
        try Self.checkLooksLikeText(csv, name: name)
    }

    /// The file gzip-compressed for storage (fastest level: it runs while the rows are scored).
    package func gzip() throws -> Data {
        if let uploadedGzip { return uploadedGzip.withUnsafeBytes { Data($0) } }
        return try csv.withUnsafeBytes { try Gzip.compress($0) }
    }

    /// A reader over the CSV text, reading it where it lies (no copy).
    package func reader() -> CSVReader {
        csv.withUnsafeBytes { CSVReader(borrowing: $0, owner: csv, options: .applicants) }
    }

    /// The first sheet of a workbook as CSV text (`WorkbookReader`); a sheet larger than
    /// `maxBytes` as CSV, or a workbook that cannot be read, is an error that says what to do.
    private static func firstSheet(of bytes: UploadBytes, name: String, maxBytes: Int) throws(InputFileError) -> UploadBytes {
        let data = bytes.withUnsafeBytes { Data($0) }
        let csv: [UInt8]
        do {
            // The sheet's XML is several times the CSV it gives; the CSV itself is held to `maxBytes`.
            csv = try WorkbookReader.firstSheetCSV(data, limit: maxBytes.multipliedReportingOverflow(by: 8).overflow ? Int.max : maxBytes * 8)
        } catch {
            throw InputFileError("\(quoted(name)): \(error.message)")
        }
        guard csv.count <= maxBytes else {
            throw InputFileError("The first sheet of \(quoted(name)) is larger than the \(maxBytes / 1_048_576) MB limit once read.")
        }
        guard !csv.isEmpty else {
            throw InputFileError("The first sheet of \(quoted(name)) is empty. Put the header row and one row per applicant on the workbook's first sheet.")
        }
        return UploadBytes(ByteBuffer(bytes: csv))
    }

    /// Spreadsheets and other binary files get a message that says how to make a CSV.
    private static func checkLooksLikeText(_ bytes: UploadBytes, name: String) throws(InputFileError) {
        let head = bytes.prefix(8192)
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw InputFileError(
                "\(quoted(name)) is a password-protected workbook or an old Excel 97–2003 .xls file, which cannot be read here. "
                    + "In Excel remove the password and choose File → Save As → \"Excel Workbook (.xlsx)\" or \"CSV UTF-8 (Comma delimited)\", and upload that file.")
        }
        if head.contains(0) {
            throw InputFileError("\(quoted(name)) is not a text file (it contains binary data). Upload a .csv or .csv.gz file.")
        }
    }

    package static func quoted(_ name: String) -> String { "‘\(name)’" }
}
