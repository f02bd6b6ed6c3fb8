import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// The access log as a download, streamed a page at a time: CSV (`AccessEvent.csvColumns`) or
/// NDJSON, one event a line, oldest first. Served by `GET /admin/v1/access-log` and by the
/// admin page's download links, with the same filter: `from` and `to` (ISO 8601 times or
/// dates, UTC; `to` exclusive), `caller`, `action`.
enum AccessLogExport {
    enum Format: String {
        case csv, ndjson

        var contentType: String { self == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson" }
    }

    /// The filter and format a request's query asks for; a bad value is a 400 naming it.
    static func read(_ request: Request) throws -> (AccessLogStore.Filter, Format) {
        let query = request.uri.queryParameters
        var filter = AccessLogStore.Filter(
            since: try AdminAuditController.time(query["from"].map(String.init), name: "from"),
            until: try AdminAuditController.time(query["to"].map(String.init), name: "to"))
        if let caller = query["caller"].map(String.init), !caller.isEmpty { filter.caller = caller }
        if let action = query["action"].map(String.init), !action.isEmpty {
            guard let known = AccessEvent.Action(rawValue: action) else {
                throw ProblemDetails(status: .badRequest, detail: "action='\(action.prefix(30))' is not one of \(AccessEvent.Action.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.action = known
        }
        let format: Format
        switch query["format"].map(String.init) {
        case nil, ""?: format = (request.headers[.accept] ?? "").contains("application/x-ndjson") ? .ndjson : .csv
        case let text?:
            guard let known = Format(rawValue: text) else {
                throw ProblemDetails(status: .badRequest, detail: "format='\(text.prefix(20))' is not csv or ndjson.")
            }
            format = known
        }
        return (filter, format)
    }

    /// The streamed answer. Events this instance has queued are written first, so the export
    /// holds everything recorded before it was asked for.
    static func response(log: AccessLog, filter: AccessLogStore.Filter, format: Format, fileName: String? = nil, pageSize: Int = 2_000) -> Response {
        let store = log.store
        let body = ResponseBody { writer in
            await log.flush()
            if format == .csv {
                var header: [UInt8] = []
                CSVEncoder.appendRecord(AccessEvent.csvColumns, to: &header)
                try await writer.write(ByteBuffer(bytes: header))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(AdminAuditController.timestamp(date))
            }
            var after: Int64 = 0
            while true {
                let page = try await store.page(filter, after: after, limit: pageSize)
                guard let last = page.last?.id else { break }
                var bytes: [UInt8] = []
                for event in page {
                    switch format {
                    case .csv: CSVEncoder.appendRecord(cells(event), to: &bytes)
                    case .ndjson:
                        bytes += try encoder.encode(event)
                        bytes.append(UInt8(ascii: "\n"))
                    }
                }
                try await writer.write(ByteBuffer(bytes: bytes))
                after = last
                if page.count < pageSize { break }
            }
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.contentType: format.contentType, .cacheControl: "no-store"]
        if let fileName { headers[.contentDisposition] = "attachment; filename=\"\(fileName).\(format.rawValue)\"" }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One event's CSV cells, in `AccessEvent.csvColumns` order.
    static func cells(_ e: AccessEvent) -> [String] {
        [e.id.map(String.init) ?? "", AdminAuditController.timestamp(e.at), e.caller, e.action.rawValue, e.objectKind.rawValue,
         e.objectID ?? "", e.address ?? "", e.requestID ?? "", e.outcome.rawValue]
    }
}
