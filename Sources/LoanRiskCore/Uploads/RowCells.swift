import Foundation
import Scoring

/// Each row's uploaded cells as a JSON array of strings, in the header's order: what the results
/// table shows of the file and searches (`batch_row_cells`). Written from the fields' bytes, so a
/// 50,000 × 120 file makes 50,000 strings, not six million.
package enum RowCells {
    /// The records of `reader` after its header, numbered as the upload numbered them (the same
    /// reader settings read the same records).
    package static func json(_ reader: CSVReader) throws -> [String] {
        _ = try reader.readHeader()
        var record = CSVRecord()
        var rows: [String] = []
        while try reader.read(into: &record) {
            var json = JSONWriter(capacity: 16 * record.count)
            json.array(0..<record.count) { json, field in record.withFieldBytes(field) { json.string(utf8: $0) } }
            rows.append(String(decoding: json.bytes, as: UTF8.self))
        }
        return rows
    }
}
