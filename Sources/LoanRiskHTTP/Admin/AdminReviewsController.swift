import Foundation
import Hummingbird
import LoanRiskCore

/// `GET /admin/v1/reviews`: analysts' decisions on review cases, as NDJSON, one per case
/// (the latest; the audit log keeps every one without its note): the case (channel, batch or
/// form decision id, row, applicant id), the model and what it said, the analyst's decision,
/// note and time. Kept as long as the audit log, so also for batches long deleted. Filtered by
/// `since` and `until` (the decision's time; ISO 8601 times or dates, UTC) and `model`.
struct AdminReviewsController {
    let reviews: ReviewStore
    /// Decisions read from the database per write to the client.
    var pageSize = 2_000

    func addRoutes(to admin: some RouterMethods<AppRequestContext>) {
        admin.get("reviews") { request, context in
            context.recordAccess(.export, .reviewDecisions, nil)
            return try export(request)
        }
    }

    private func export(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let since = try AdminAuditController.time(query["since"].map(String.init), name: "since")
        let until = try AdminAuditController.time(query["until"].map(String.init), name: "until")
        let model = query["model"].map(String.init)
        let reviews = self.reviews
        let pageSize = self.pageSize
        let body = ResponseBody { writer in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(AdminAuditController.timestamp(date))
            }
            var after: Int64 = 0
            while true {
                let page = try await reviews.page(since: since, until: until, model: model, after: after, limit: pageSize)
                guard let last = page.last?.id else { break }
                var bytes: [UInt8] = []
                for decision in page {
                    bytes += try encoder.encode(decision)
                    bytes.append(UInt8(ascii: "\n"))
                }
                try await writer.write(ByteBuffer(bytes: bytes))
                after = last
                if page.count < pageSize { break }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .cacheControl: "no-store"], body: body)
    }
}
