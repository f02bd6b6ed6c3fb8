import Foundation
import ZIPFoundation

/// Writes an Excel workbook (.xlsx) of one sheet whose rows are already SpreadsheetML
/// (`WorkbookResultsRows`): the few parts Excel, LibreOffice and openpyxl need, zipped.
public enum WorkbookWriter {
    /// The media type of an .xlsx.
    public static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The workbook's bytes. `sheetRows` are `<row>` elements, in as many buffers as the caller
    /// has them (one a row is fine), the first the header (kept in view as the sheet scrolls).
    public static func workbook(sheetRows: [[UInt8]], sheetName: String) throws(WorkbookError) -> [UInt8] {
        let name = Self.escaped(String(sheetName.prefix(31)))
        // The sheet is its head, the rows as given and its tail, handed to the zip in chunks
        // straight from those buffers: the rows (most of the file) are never copied.
        let head = Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            + "<sheetData>").utf8)
        let tail = Array("</sheetData></worksheet>".utf8)
        let parts: [(String, [[UInt8]])] = [
            ("[Content_Types].xml", [Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "</Types>").utf8)]),
            ("_rels/.rels", [Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                + "</Relationships>").utf8)]),
            ("xl/workbook.xml", [Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                + "<sheets><sheet name=\"\(name)\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").utf8)]),
            ("xl/_rels/workbook.xml.rels", [Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "</Relationships>").utf8)]),
            ("xl/worksheets/sheet1.xml", [head] + sheetRows + [tail]),
        ]
        do {
            let archive = try Archive(accessMode: .create)
            for (path, pieces) in parts {
                let total = pieces.reduce(0) { $0 + $1.count }
                let cursor = PieceCursor(pieces)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(total), compressionMethod: .deflate
                ) { position, size in
                    try cursor.read(at: Int(position), count: size)
                }
            }
            guard let data = archive.data else { throw WorkbookError("The workbook could not be assembled.") }
            return [UInt8](data)
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw WorkbookError("The workbook could not be written: \(error)")
        }
    }

    /// Appends UTF-8 text escaped for XML content; bytes XML 1.0 cannot hold (control
    /// characters other than tab and line ends) are dropped.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): buffer.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): buffer.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A, 0x0D: buffer.append(byte)
            case ..<0x20: continue
            default: buffer.append(byte)
            }
        }
    }

    /// `appendEscaped` for a `String`.
    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        var copy = text
        copy.withUTF8 { appendEscaped($0, to: &buffer) }
    }

    /// Text escaped for XML content and attributes; characters XML 1.0 cannot hold are dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Reads buffers taken end to end, in order, as the zip asks for them: where the last read
/// ended is kept, so each byte is visited once however many buffers there are.
private final class PieceCursor {
    private let pieces: [[UInt8]]
    private var index = 0
    private var offset = 0
    private var position = 0

    init(_ pieces: [[UInt8]]) {
        self.pieces = pieces
    }

    func read(at start: Int, count: Int) throws -> Data {
        guard start == position else { throw WorkbookError("The workbook's parts were asked for out of order.") }
        var data = Data(capacity: count)
        while data.count < count, index < pieces.count {
            let piece = pieces[index]
            let take = min(piece.count - offset, count - data.count)
            piece.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(rebasing: $0[offset..<offset + take])) }
            offset += take
            if offset == piece.count {
                index += 1
                offset = 0
            }
        }
        position += data.count
        return data
    }
}
