/// Decides a file's decimal mark from its numeric columns, once, before it is scored.
///
/// A comma-separated file writes decimal points (an unquoted decimal comma would split the
/// cell). Otherwise each numeric column's cells are looked at: one with a comma between
/// digits (`6,49`) speaks for decimal commas, one with a point (`6.49`) for points; whole
/// numbers say nothing. Columns that disagree make the file an error that names them, rather
/// than a file read half wrong.
public struct DecimalMarkDetector: Sendable {
    /// What one column's cells showed, with the first example of each.
    struct Evidence {
        var comma: (row: Int, value: String)?
        var point: (row: Int, value: String)?
    }

    let columns: [(name: String, index: Int)]

    /// `mapping`'s numeric features, by the file column they are read from.
    public init(schema: FeatureSchema, mapping: ColumnMapping) {
        columns = schema.features.indices.compactMap { feature in
            let spec = schema.features[feature]
            guard spec.kind != .categorical || spec.integerCodes == true else { return nil }
            return (spec.name, mapping.featureColumns[feature])
        }
    }

    /// The mark for `records` (the file's first rows; `firstRow` is the 1-based row number of
    /// the first), read with `delimiter`. Throws when columns disagree.
    public func decide(
        _ records: ArraySlice<CSVRecord>, firstRow: Int = 1, delimiter: UInt8
    ) throws(InputFileError) -> DecimalMark {
        guard delimiter != UInt8(ascii: ",") else { return .point }
        var evidence = [Evidence](repeating: Evidence(), count: columns.count)
        for (offset, record) in records.enumerated() {
            for (c, column) in columns.enumerated() where column.index < record.count {
                if evidence[c].comma != nil, evidence[c].point != nil { continue }
                let cell = record[column.index]
                switch Self.mark(of: cell) {
                case .comma?: if evidence[c].comma == nil { evidence[c].comma = (firstRow + offset, cell) }
                case .point?: if evidence[c].point == nil { evidence[c].point = (firstRow + offset, cell) }
                case nil: break
                }
            }
        }
        let commas = columns.indices.filter { evidence[$0].comma != nil }
        let points = columns.indices.filter { evidence[$0].point != nil }
        if commas.isEmpty { return .point }
        if points.isEmpty { return .comma }
        func list(_ indices: [Int], _ pick: (Evidence) -> (row: Int, value: String)?) -> String {
            let named = indices.prefix(5).map { i -> String in
                let example = pick(evidence[i]).map { " (row \($0.row): '\($0.value)')" } ?? ""
                return "'\(columns[i].name)'\(example)"
            }
            return named.joined(separator: ", ") + (indices.count > 5 ? " and \(indices.count - 5) more" : "")
        }
        throw InputFileError(
            "The file mixes decimal marks: \(list(commas, \.comma)) \(commas.count == 1 ? "is" : "are") written with decimal commas, "
                + "\(list(points, \.point)) with decimal points. Save the file with one decimal mark throughout "
                + "(in a spreadsheet: the same number format for every column), then upload it again.")
    }

    /// A number with one comma between digits and no point, or one point and no comma; nil
    /// for whole numbers, words and anything with both.
    static func mark(of cell: String) -> DecimalMark? {
        var commas = 0
        var points = 0
        var digits = 0
        for byte in cell.utf8 {
            switch byte {
            case UInt8(ascii: ","): commas += 1
            case UInt8(ascii: "."): points += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: " "), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: return nil
            }
        }
        guard digits > 0 else { return nil }
        if commas == 1, points == 0 { return .comma }
        if points == 1, commas == 0 { return .point }
        return nil
    }
}
