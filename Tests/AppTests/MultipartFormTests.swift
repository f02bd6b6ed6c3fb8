@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Hummingbird
import Testing

@Suite struct MultipartFormTests {
    static func body(_ parts: [String], boundary: String = "XyZ") -> UploadBytes {
        UploadBytes(string: parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + "--\(boundary)--\r\n")
    }

    @Test func fieldsAndFilesAreSplitAtTheBoundary() throws {
        let file = "a,b\r\n1,\"--XyZ is not a boundary without CRLF\"\r\n\r\n2,3"
        let body = Self.body([
            "Content-Disposition: form-data; name=\"csrf\"\r\n\r\ntoken",
            "Content-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)",
        ])
        let form = try #require(MultipartForm.parse(body, boundary: "XyZ"))
        #expect(form.fields["csrf"] == "token")
        #expect(form.files.count == 1)
        #expect(form.files[0].fileName == "x.csv")
        #expect(form.files[0].bytes.string == file)
    }

    @Test func anEmptyFileIsAnEmptyPart() throws {
        let body = Self.body(["Content-Disposition: form-data; name=\"file\"; filename=\"e.csv\"\r\n\r\n"])
        let form = try #require(MultipartForm.parse(body, boundary: "XyZ"))
        #expect(form.files.first?.bytes.count == 0)
    }

    @Test func malformedBodiesAreRefused() {
        #expect(MultipartForm.parse(UploadBytes(string: "no boundary here"), boundary: "XyZ") == nil)
        #expect(MultipartForm.parse(UploadBytes(string: "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"), boundary: "XyZ") == nil)
    }
}
