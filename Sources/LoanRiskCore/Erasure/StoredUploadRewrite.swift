import Foundation
import Scoring

/// Takes records out of a stored upload (`batch_file`) for an erasure, leaving every other
/// byte as it was uploaded.
///
/// A row is numbered by its record's place in the file, and every reader of the stored file
/// (the downloads, the reasons file) pairs the Nth record with row N. So an erased record is
/// not cut out, which would shift every row after it onto its neighbour's results: its lines
/// become one empty line, which the reader reads as a record of its own (a blank row, with
/// no values), so the rows after it keep their numbers. An erased last record is cut out
/// (blank lines at the end of a file are not records).
package enum StoredUploadRewrite {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// `bytes` (the CSV as stored, inflated) without the records numbered `rows`; and how
    /// many of them were in the file. Read with the options the upload was read with, and
    /// checked by reading the result again: every other record must read exactly as before.
    package static func erasing(rows: Set<Int>, from bytes: [UInt8]) throws -> (bytes: [UInt8], erased: Int) {
        guard !rows.isEmpty else { return (bytes, 0) }
        let before = try records(bytes)
        let lineStarts = lineStarts(bytes)
        func offset(ofLine line: Int) throws -> Int {
            guard line >= 1, line <= lineStarts.count else { throw Failure(description: "line \(line) is not in the stored file") }
            return lineStarts[line - 1]
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        var erased = 0
        for number in rows.sorted() where number >= 1 && number <= before.count {
            let from = try offset(ofLine: before[number - 1].line)
            let next = number < before.count ? try offset(ofLine: before[number].line) : bytes.count
            guard from >= copied, next >= from else { throw Failure(description: "records out of order in the stored file") }
            out += bytes[copied..<from]
            if number < before.count {
                // Its line end stays: one empty line in its place.
                if next - from >= 2, bytes[next - 2] == 0x0D, bytes[next - 1] == 0x0A {
                    out += [0x0D, 0x0A]
                } else if next > from {
                    out.append(bytes[next - 1])
                }
            }
            copied = next
            erased += 1
        }
        out += bytes[copied...]
        // The check: every record kept reads as it did, in its place.
        let after = try records(out)
        for (index, record) in before.enumerated() where !rows.contains(index + 1) {
            guard index < after.count, after[index].fields == record.fields else {
                throw Failure(description: "row \(index + 1) would change; the stored file is left as it is")
            }
        }
        return (out, erased)
    }

    /// Each record after the header: its first physical line and a hash of its fields (the
    /// fields themselves would hold the whole file again as strings).
    private static func records(_ bytes: [UInt8]) throws -> [(line: Int, fields: Int)] {
        let reader = bytes.withUnsafeBytes { CSVReader(bytes: $0, options: .applicants) }
        _ = try reader.readHeader()
        var out: [(line: Int, fields: Int)] = []
        var record = CSVRecord()
        while try reader.read(into: &record) {
            var hasher = Hasher()
            if record.misfit?.blank != true {
                for field in 0..<record.count {
                    record.withFieldBytes(field) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                    hasher.combine(field)
                }
            }
            out.append((record.line, hasher.finalize()))
        }
        return out
    }

    /// The byte offset where each physical line starts (line 1 at 0), counting line ends as
    /// the reader does: CRLF, LF or a lone CR.
    private static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var index = 0
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x0D {
                index += index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                starts.append(index)
            } else if b == 0x0A {
                index += 1
                starts.append(index)
            } else {
                index += 1
            }
        }
        return starts
    }
}
