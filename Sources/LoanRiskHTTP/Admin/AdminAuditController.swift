import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// `GET /admin/v1/audit`: the audit log, streamed a page at a time as CSV (default) or
/// NDJSON (`?format=ndjson`, or `Accept: application/x-ndjson`), filtered by `since` and
/// `until` (ISO 8601 times or dates, UTC; `until` exclusive), `model`, `version` and
/// `request_id`. Each record names the exact model version and its sha256, and its caller
/// (`key:NAME`, `account:NAME`, `admin-token:LABEL`; empty on records made before callers were kept).
struct AdminAuditController {
    let store: AuditStore
    /// Records read from the database per write to the client.
    var pageSize = 2_000

    func addRoutes(to admin: some RouterMethods<AppRequestContext>) {
        admin.get("audit") { request, context in
            context.recordAccess(.export, .auditLog, nil)
            return try export(request)
        }
    }

    private enum Format { case csv, ndjson }

    private func export(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let filter = AuditStore.Filter(
            since: try Self.time(query["since"].map(String.init), name: "since"),
            until: try Self.time(query["until"].map(String.init), name: "until"),
            model: query["model"].map(String.init), version: query["version"].map(String.init),
            requestID: query["request_id"].map(String.init))
        let format: Format
        switch query["format"].map(String.init) {
        case "csv"?: format = .csv
        case "ndjson"?: format = .ndjson
        case nil: format = (request.headers[.accept] ?? "").contains("application/x-ndjson") ? .ndjson : .csv
        case let other?: throw ProblemDetails(status: .badRequest, detail: "format='\(other.prefix(20))' is not csv or ndjson.")
        }
        let store = self.store
        let pageSize = self.pageSize
        let body = ResponseBody { writer in
            if format == .csv {
                var header: [UInt8] = []
                CSVEncoder.appendRecord(AuditRecord.csvColumns, to: &header)
                try await writer.write(ByteBuffer(bytes: header))
            }
            try await store.export(filter, pageSize: pageSize) { page in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(page.count * 220)
                for record in page {
                    switch format {
                    case .csv: Self.appendCSV(record, to: &bytes)
                    case .ndjson: try Self.appendJSON(record, to: &bytes)
                    }
                }
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        }
        let contentType = format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson"
        return Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"], body: body)
    }

    private static func appendCSV(_ r: AuditRecord, to bytes: inout [UInt8]) {
        let cells: [String] = [
            r.id.map(String.init) ?? "", timestamp(r.at), r.requestID, r.channel.rawValue, r.rowNumber.map(String.init) ?? "",
            r.applicantID ?? "", r.modelName, r.modelVersion, r.modelSha256, "", r.decision ?? "", r.score.map(String.init) ?? "",
            r.reasonCodes ?? "", r.caller ?? "",
        ]
        for (index, cell) in cells.enumerated() {
            if index > 0 { CSVEncoder.appendDelimiter(to: &bytes) }
            if index == 9 {
                if let p = r.probability { CSVEncoder.appendNumber(p, to: &bytes) }
            } else {
                CSVEncoder.appendField(cell, to: &bytes)
            }
        }
        CSVEncoder.appendRecordEnd(to: &bytes)
    }

    private static func appendJSON(_ r: AuditRecord, to bytes: inout [UInt8]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        bytes += try encoder.encode(r)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// UTC, to the millisecond: records a few milliseconds apart stay in order when read.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// An ISO 8601 time (`2026-12-01T08:00:00Z`, fractional seconds allowed) or date (`2026-12-01`, midnight UTC).
    static func time(_ text: String?, name: String) throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return date }
        throw ProblemDetails(status: .badRequest, detail: "\(name)='\(text.prefix(40))' is not an ISO 8601 time (2026-12-01T08:00:00Z) or date (2026-12-01).")
    }
}
