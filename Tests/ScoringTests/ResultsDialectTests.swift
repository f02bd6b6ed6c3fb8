import Foundation
import Scoring
import Testing

/// Results in an upload's own dialect: its delimiter, decimal commas in the probability, the
/// input cells exactly as sent, and fields holding the delimiter quoted.
@Suite struct ResultsDialectTests {
    @Test func semicolonsAndDecimalCommas() throws {
        let csv = "id;rate;note\n7;12,5;a;b\n"
        let reader = CSVReader(data: Data("id;rate;note\n7;12,5;\"x;y\"\n".utf8))
        _ = try reader.readHeader()
        var record = CSVRecord()
        #expect(try reader.read(into: &record))
        let rows = ResultsCSV.Dialect(delimiter: UInt8(ascii: ";"), decimalMark: .comma)
        var bytes: [UInt8] = []
        rows.appendHeader(ResultsCSV.header(inputHeader: ["id", "rate", "note"]), to: &bytes)
        rows.appendInput(record, to: &bytes)
        rows.appendResult(probability: 0.0523, decision: "approve", score: 702, status: "warning: a; b", modelVersion: "2.0.0", trailing: [], to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "id;rate;note;probability_of_default;decision;score;status;model_version\r\n7;12,5;\"x;y\";0,0523;approve;702;\"warning: a; b\";2.0.0\r\n")
        _ = csv
        // It reads back, as the upload did, with the same reader.
        let back = CSVReader(data: Data(bytes))
        #expect(try back.readHeader().count == 8)
        #expect(back.delimiter == UInt8(ascii: ";"))
    }
}
