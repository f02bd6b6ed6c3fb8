import Foundation

/// A worksheet's XML turned into CSV rows, cell by cell as the parser streams them.
enum SheetXML {
    static func csv(_ data: Data, strings: [String], dateStyles: [Bool], date1904: Bool, sheetName: String) throws(WorkbookError) -> [UInt8] {
        var builder = SheetCSVBuilder()
        var row: [Int: String] = [:]
        var column = -1
        var type = ""
        var style = 0
        var value = ""
        var inline = ""
        var inValue = false
        var inInline = false
        var inInlineText = false
        var phonetic = 0
        var bad: WorkbookError?
        try XMLWalker.walk(data, part: "sheet \(sheetName)", start: { name, attributes in
            switch name {
            case "row":
                row.removeAll(keepingCapacity: true)
                column = -1
            case "c":
                column = attributes["r"].flatMap(Self.column(of:)) ?? column + 1
                type = attributes["t"] ?? "n"
                style = attributes["s"].flatMap(Int.init) ?? 0
                value = ""
                inline = ""
            case "v": inValue = true
            case "is": inInline = true
            case "t": inInlineText = inInline && phonetic == 0
            case "rPh": phonetic += 1
            default: break
            }
        }, end: { name in
            switch name {
            case "v": inValue = false
            case "is": inInline = false
            case "t": inInlineText = false
            case "rPh": phonetic -= 1
            case "c":
                switch type {
                case "s":
                    if let index = Int(value.trimmingCharacters(in: .whitespaces)), strings.indices.contains(index) {
                        row[column] = strings[index]
                    } else if !value.isEmpty, bad == nil {
                        bad = .broken("a cell of sheet \(sheetName) points at shared string \(value), which the workbook does not have")
                    }
                case "inlineStr": row[column] = inline
                case "b": row[column] = value == "1" ? "TRUE" : (value.isEmpty ? "" : "FALSE")
                case "n":
                    if !value.isEmpty, dateStyles.indices.contains(style), dateStyles[style], let serial = Double(value),
                       let date = ExcelDate.iso(serial: serial, date1904: date1904) {
                        row[column] = date
                    } else {
                        row[column] = value
                    }
                default: row[column] = value  // str (a formula's text), e (an error such as #N/A), d (ISO text)
                }
            case "row": builder.add(row)
            default: break
            }
        }, text: { text in
            if inValue { value += text } else if inInlineText { inline += text }
        })
        if let bad { throw bad }
        return builder.bytes
    }

    /// `C12` → 2 (0-based); nil when the reference has no column letters.
    static func column(of reference: String) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): index = index * 26 + Int(byte - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): index = index * 26 + Int(byte - UInt8(ascii: "a")) + 1
            default:
                return letters > 0 ? index - 1 : nil
            }
            letters += 1
            if letters > 3 { return nil }
        }
        return letters > 0 ? index - 1 : nil
    }
}

/// Writes sheet rows as CSV: the first row with a value is the header and sets the width; a
/// later row is cut to that width unless it has values beyond it (then the CSV path makes it
/// that row's error); rows without any value are left out.
struct SheetCSVBuilder {
    private(set) var bytes: [UInt8] = []
    private var width: Int?

    mutating func add(_ row: [Int: String]) {
        let filled = row.filter { !$0.value.isEmpty }
        guard let last = filled.keys.max() else { return }
        let count: Int
        if let width {
            count = max(width, last + 1)
        } else {
            count = last + 1
            width = count
        }
        for column in 0..<count {
            if column > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendField(row[column] ?? "", to: &bytes)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// RFC 4180: quoted when it holds a comma, quote or line end; nothing else changed (these
    /// are the cells as the workbook has them, read by the CSV path as a file's cells are).
    static func appendField(_ field: String, to bytes: inout [UInt8]) {
        let utf8 = field.utf8
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for byte in utf8 {
            bytes.append(byte)
            if byte == 0x22 { bytes.append(0x22) }
        }
        bytes.append(0x22)
    }
}
