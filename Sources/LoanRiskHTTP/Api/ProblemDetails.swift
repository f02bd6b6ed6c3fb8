import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// An RFC 9457 `application/problem+json` error: what the JSON API answers instead of a page.
struct ProblemDetails: Error, Encodable {
    /// One problem with one value of one applicant, for 422 answers that list them all.
    struct FieldError: Encodable {
        let applicant: Int
        let field: String
        let value: String?
        let message: String
    }

    let status: HTTPResponse.Status
    let title: String
    let detail: String
    var errors: [FieldError]? = nil
    var limit: Int? = nil
    /// A refused promotion: how the version's inputs differ from the champion's.
    var inputChanges: InputChanges? = nil
    /// A refused promotion: the golden rows that did not reproduce.
    var goldenRows: GoldenRows.Report? = nil

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors, limit
        case inputChanges = "input_changes", goldenRows = "golden_rows"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("about:blank", forKey: .type)
        try c.encode(title, forKey: .title)
        try c.encode(Int(status.code), forKey: .status)
        try c.encode(detail, forKey: .detail)
        try c.encodeIfPresent(errors, forKey: .errors)
        try c.encodeIfPresent(limit, forKey: .limit)
        try c.encodeIfPresent(inputChanges, forKey: .inputChanges)
        try c.encodeIfPresent(goldenRows, forKey: .goldenRows)
    }

    var response: Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(self)) ?? Data(#"{"title":"Error"}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/problem+json"], body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    init(status: HTTPResponse.Status, detail: String, errors: [FieldError]? = nil, limit: Int? = nil) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.errors = errors
        self.limit = limit
    }
}
