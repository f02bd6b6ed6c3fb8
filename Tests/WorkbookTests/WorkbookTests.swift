import Foundation
import Scoring
@testable import Workbook
import Testing

/// Workbooks read as the cells the CSV path scores, written as the results CSV's rows; the
/// workbooks made by a real tool (openpyxl) are tested against the live server in tests/workbook.
@Suite struct WorkbookTests {
    @Test func excelSerialsAreISODates() {
        #expect(ExcelDate.iso(serial: 1, date1904: false) == "1900-01-01")
        #expect(ExcelDate.iso(serial: 59, date1904: false) == "1900-02-28")
        #expect(ExcelDate.iso(serial: 60, date1904: false) == "1900-02-29")   // Lotus's day, kept by Excel
        #expect(ExcelDate.iso(serial: 61, date1904: false) == "1900-03-01")
        #expect(ExcelDate.iso(serial: 45_352, date1904: false) == "2024-03-01")
        #expect(ExcelDate.iso(serial: 45_352.75, date1904: false) == "2024-03-01T18:00:00")
        #expect(ExcelDate.iso(serial: 0, date1904: true) == "1904-01-01")
        #expect(ExcelDate.iso(serial: 43_890, date1904: true) == "2024-03-01")
        #expect(ExcelDate.iso(serial: -1, date1904: false) == nil)
    }

    @Test func dateFormatsAreToldFromNumberFormats() {
        #expect(ExcelDate.isDateFormat(id: 14, code: nil))
        #expect(!ExcelDate.isDateFormat(id: 0, code: nil))
        #expect(!ExcelDate.isDateFormat(id: 2, code: nil))
        #expect(ExcelDate.isDateFormat(id: 164, code: "yyyy-mm-dd"))
        #expect(ExcelDate.isDateFormat(id: 165, code: "[$-409]d-mmm-yy;@"))
        #expect(!ExcelDate.isDateFormat(id: 166, code: "0.00\" days\""))
        #expect(!ExcelDate.isDateFormat(id: 167, code: "[Red]#,##0.00"))
    }

    @Test func cellReferencesGiveColumns() {
        #expect(SheetXML.column(of: "A1") == 0)
        #expect(SheetXML.column(of: "Z9") == 25)
        #expect(SheetXML.column(of: "AA10") == 26)
        #expect(SheetXML.column(of: "XFD1048576") == 16_383)
        #expect(SheetXML.column(of: "12") == nil)
    }

    /// A results sheet written here reads back as the rows it was made from: text as sent,
    /// numbers as numbers (the decimal comma of the upload read), quotes and commas intact.
    @Test func writtenSheetsReadBackAsTheirCells() throws {
        let reader = CSVReader(data: Data("id;rate;note\n007;12,5;\"say \"\"hi\"\", <b>&\"\n".utf8))
        let header = try reader.readHeader()
        var record = CSVRecord()
        #expect(try reader.read(into: &record))
        let rows = WorkbookResultsRows(decimalMark: .comma)
        var bytes: [UInt8] = []
        rows.appendHeader(ResultsCSV.header(inputHeader: header), to: &bytes)
        rows.appendInput(record, to: &bytes)
        rows.appendResult(probability: 0.0523, decision: "approve", score: 702, status: "ok", modelVersion: "2.0.0", trailing: [], to: &bytes)
        rows.appendInput(record, to: &bytes)
        rows.appendResult(probability: nil, decision: nil, score: nil, status: "error: 'x' must be a number", modelVersion: "2.0.0", trailing: [], to: &bytes)
        let book = try WorkbookWriter.workbook(sheetRows: [bytes], sheetName: "Results")
        let csv = String(decoding: try WorkbookReader.firstSheetCSV(Data(book)), as: UTF8.self)
        #expect(csv == """
            id,rate,note,probability_of_default,decision,score,status,model_version\r
            007,12.5,"say ""hi"", <b>&",0.0523,approve,702,ok,2.0.0\r
            007,12.5,"say ""hi"", <b>&",,,,error: 'x' must be a number,2.0.0\r

            """)
    }

    @Test func brokenAndLockedWorkbooksSaySo() {
        #expect(throws: WorkbookError.self) { _ = try WorkbookReader.firstSheetCSV(Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 64))) }
        do {
            _ = try WorkbookReader.firstSheetCSV(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 64)))
            Issue.record("a compound file was read")
        } catch {
            #expect(error.message.contains("password-protected"))
        }
    }
}
