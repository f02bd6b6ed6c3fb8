import Foundation
import ZIPFoundation

/// Reads an Excel workbook (.xlsx) as the CSV text the scoring path reads: the first sheet's
/// cells, row by row — shared and inline strings as their text, numbers as Excel stores them
/// (`0.1299`, never as shown), date-formatted numbers as ISO dates (`2024-03-31`), empty cells
/// empty. Rows with no value at all are left out; the first row with a value is the header.
///
/// The workbook is read in memory: the zip's directory, then each part (workbook, shared
/// strings, styles, the sheet) inflated and parsed once with Foundation's streaming XML parser.
public enum WorkbookReader {
    /// Whether `head` starts like a zip archive, the container of an .xlsx.
    public static func looksLikeWorkbook(_ head: [UInt8]) -> Bool {
        head.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// Whether `head` starts like an OLE compound file: a password-protected .xlsx, or an old .xls.
    public static func looksLikeCompoundFile(_ head: [UInt8]) -> Bool {
        head.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
    }

    /// The first sheet as CSV (commas, RFC 4180 quoting, CRLF), UTF-8. `limit` bounds the
    /// inflated size of any one part, so a zip that inflates without end is refused.
    public static func firstSheetCSV(_ data: Data, limit: Int = 1 << 30) throws(WorkbookError) -> [UInt8] {
        if looksLikeCompoundFile(Array(data.prefix(4))) { throw .encrypted }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw .broken("it is not a complete zip archive")
        }
        let parts = WorkbookParts(archive: archive, limit: limit)
        guard let workbookXML = try parts.read("xl/workbook.xml") else {
            if archive["EncryptedPackage"] != nil { throw .encrypted }
            throw .broken("it has no xl/workbook.xml, so it is not an Excel workbook")
        }
        let book = try WorkbookXML.parse(workbookXML)
        let relations = try parts.read("xl/_rels/workbook.xml.rels").map(RelationshipsXML.parse) ?? [:]
        guard let first = book.sheets.first else { throw .broken("it has no sheets") }
        let sheetPath = relations[first.relationship].map { WorkbookParts.resolve($0.target) } ?? "xl/worksheets/sheet1.xml"
        guard let sheetXML = try parts.read(sheetPath) else { throw .broken("its first sheet, \(first.name), is missing") }
        let stringsPath = relations.values.first { $0.type.hasSuffix("/sharedStrings") }.map { WorkbookParts.resolve($0.target) } ?? "xl/sharedStrings.xml"
        let stylesPath = relations.values.first { $0.type.hasSuffix("/styles") }.map { WorkbookParts.resolve($0.target) } ?? "xl/styles.xml"
        let strings = try parts.read(stringsPath).map(SharedStringsXML.parse) ?? []
        let dateStyles = try parts.read(stylesPath).map(StylesXML.dateStyles) ?? []
        return try SheetXML.csv(sheetXML, strings: strings, dateStyles: dateStyles, date1904: book.date1904, sheetName: first.name)
    }
}

/// The parts of an open archive, read whole.
struct WorkbookParts {
    let archive: Archive
    let limit: Int

    /// The part at `path`, inflated; nil when the archive has none.
    func read(_ path: String) throws(WorkbookError) -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= UInt64(limit) else {
            throw WorkbookError("The workbook's \(path) inflates to \(entry.uncompressedSize / 1_048_576) MB, more than the upload limit allows.")
        }
        var data = Data()
        data.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry) { chunk in
                data.append(chunk)
                if data.count > limit { throw WorkbookError("The workbook's \(path) inflates to more than the upload limit allows.") }
            }
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw .broken("its part \(path) is damaged")
        }
        return data
    }

    /// A relationship's target as a path in the archive: relative to `xl/`, or absolute from the root.
    static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }
}
