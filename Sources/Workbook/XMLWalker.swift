import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Walks an XML part with Foundation's streaming parser, handing each element's start (by
/// its local name: a workbook may write `x:row` as well as `row`), end and text to closures.
final class XMLWalker: NSObject, XMLParserDelegate {
    private let start: (String, [String: String]) -> Void
    private let end: (String) -> Void
    private let text: (String) -> Void

    private init(start: @escaping (String, [String: String]) -> Void, end: @escaping (String) -> Void, text: @escaping (String) -> Void) {
        self.start = start
        self.end = end
        self.text = text
    }

    /// Parses `data`; a malformed part is an error naming `part` and the line.
    static func walk(
        _ data: Data, part: String, start: @escaping (String, [String: String]) -> Void, end: @escaping (String) -> Void = { _ in },
        text: @escaping (String) -> Void = { _ in }
    ) throws(WorkbookError) {
        let walker = XMLWalker(start: start, end: end, text: text)
        // Fed from a stream, in small chunks: handed a whole large part at once, libxml2 stops
        // at its 10 MB lookup limit (a 50,000-row sheet written on one line is 43 MB).
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = walker
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw .broken("its \(part) is not well-formed XML (line \(parser.lineNumber))")
        }
    }

    /// `x:row` → `row`.
    static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// The value of the attribute whose local name is `name`, whatever its prefix.
    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let value = attributes[name] { return value }
        return attributes.first { local($0.key) == name && $0.key.contains(":") }?.value
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        start(Self.local(elementName), attributes)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        end(Self.local(elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text(string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text(String(decoding: CDATABlock, as: UTF8.self))
    }
}

/// xl/workbook.xml: the sheets in order, and which date system the workbook counts in.
struct WorkbookXML {
    struct Sheet {
        let name: String
        let relationship: String
    }

    var sheets: [Sheet] = []
    var date1904 = false

    static func parse(_ data: Data) throws(WorkbookError) -> WorkbookXML {
        var book = WorkbookXML()
        try XMLWalker.walk(data, part: "workbook.xml", start: { name, attributes in
            switch name {
            case "sheet":
                // The relationship id is `r:id` (any prefix bound to the relationships namespace).
                let id = attributes.first { XMLWalker.local($0.key) == "id" && $0.key.contains(":") }?.value ?? ""
                book.sheets.append(Sheet(name: attributes["name"] ?? "Sheet1", relationship: id))
            case "workbookPr":
                let value = attributes["date1904"]?.lowercased()
                book.date1904 = value == "1" || value == "true"
            default: break
            }
        })
        return book
    }
}

/// A `.rels` part: relationship id → target and type.
enum RelationshipsXML {
    struct Relationship {
        let target: String
        let type: String
    }

    static func parse(_ data: Data) throws(WorkbookError) -> [String: Relationship] {
        var relations: [String: Relationship] = [:]
        try XMLWalker.walk(data, part: "workbook.xml.rels", start: { name, attributes in
            guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
            relations[id] = Relationship(target: target, type: attributes["Type"] ?? "")
        })
        return relations
    }
}

/// xl/sharedStrings.xml: each string item's text (its runs joined; phonetic guides left out).
enum SharedStringsXML {
    static func parse(_ data: Data) throws(WorkbookError) -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phonetic = 0
        try XMLWalker.walk(data, part: "sharedStrings.xml", start: { name, _ in
            switch name {
            case "si": current = ""
            case "t": inText = phonetic == 0
            case "rPh": phonetic += 1
            default: break
            }
        }, end: { name in
            switch name {
            case "si": strings.append(current)
            case "t": inText = false
            case "rPh": phonetic -= 1
            default: break
            }
        }, text: { text in
            if inText { current += text }
        })
        return strings
    }
}

/// xl/styles.xml: for each cell format (`cellXfs`, by a cell's `s`), whether it shows a date.
enum StylesXML {
    static func dateStyles(_ data: Data) throws(WorkbookError) -> [Bool] {
        var codes: [Int: String] = [:]
        var formats: [Int] = []
        var inCellXfs = false
        try XMLWalker.walk(data, part: "styles.xml", start: { name, attributes in
            switch name {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap(Int.init) { codes[id] = attributes["formatCode"] ?? "" }
            case "cellXfs": inCellXfs = true
            case "xf" where inCellXfs: formats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
            default: break
            }
        }, end: { name in
            if name == "cellXfs" { inCellXfs = false }
        })
        return formats.map { ExcelDate.isDateFormat(id: $0, code: codes[$0]) }
    }
}
